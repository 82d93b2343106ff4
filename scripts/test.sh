#!/usr/bin/env bash
# Runs every test of the solution (unit, conformance, integration with real tools) and prints
# one closing line "N passed, N failed, N skipped". Exits non-zero on any failure.
#
# Time (issue 19): the Native AOT publish runs while the test projects that never start the strata
# binary run; then the projects that do run in STRATA_TEST_LANES parallel lanes (default 3: their
# time is mostly waiting on runc, dockerd, registries and disks), longest first, so the longest
# ones do not start last. A test project that is missing from both lists fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1

results=$(mktemp -d /tmp/strata-test-results.XXXXXX)
dotnet build Strata.slnx -c Release -nologo -v q || { echo "0 passed, 1 failed (build)"; exit 1; }
export STRATA_BIN="$PWD/artifacts/bin/strata"

# Projects whose tests do not run strata, then the ones that do, each longest first
# (seconds on the 2-core CI machine, 2026-12-07).
without_binary=(Testing 10 Archive 9 Execution 6 Images 4 Snapshots 4 Dockerfile 2 Content 1 Oci 1 Core 0 Rootfs 0)
with_binary=(Build.Integration 105 Integration 91 Registry 39 Build 38 Cli 36 Containers 33 Analysis 15 Architecture 5)
project_of() { # short name -> test project path
    case $1 in
        Build.Integration) echo tests/Strata.Build.IntegrationTests/Strata.Build.IntegrationTests.csproj ;;
        *) echo "tests/Strata.$1.Tests/Strata.$1.Tests.csproj" ;;
    esac
}
listed=$(for ((i = 0; i < ${#without_binary[@]}; i += 2)); do project_of "${without_binary[i]}"; done
         for ((i = 0; i < ${#with_binary[@]}; i += 2)); do project_of "${with_binary[i]}"; done)
for p in $(grep -o 'tests/[^"]*Tests\.csproj' Strata.slnx); do
    grep -qx "$p" <<<"$listed" || { echo "scripts/test.sh: $p is in Strata.slnx but in no lane list"; echo "0 passed, 1 failed (runner)"; exit 1; }
done

run_project() { # short name: runs one test project, prints its output when it is done
    local name=$1 project log
    project=$(project_of "$name"); log="$results/$name.log"
    dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFilePrefix=$name" --results-directory "$results" \
        --logger "console;verbosity=minimal" >"$log" 2>&1
    local status=$?
    cat "$log"
    [ $status = 0 ] || echo "$name" >>"$results/failed-projects"
}
export -f run_project project_of
export results
lanes() { # count, then names: runs them in that many parallel lanes, in order
    local count=$1; shift
    printf '%s\n' "$@" | xargs -P "$count" -I{} bash -c 'run_project {}'
}
names() { local -n pairs=$1; for ((i = 0; i < ${#pairs[@]}; i += 2)); do echo "${pairs[i]}"; done; }

dotnet publish src/Strata.Cli -c Release -nologo -v q -o artifacts/bin >"$results/publish.log" 2>&1 &
publish=$!
lanes 1 $(names without_binary)
wait $publish || { cat "$results/publish.log"; echo "0 passed, 1 failed (AOT publish)"; exit 1; }
lanes "${STRATA_TEST_LANES:-3}" $(names with_binary)

status=0
[ -f "$results/failed-projects" ] && { status=1; echo "failed test projects: $(tr '\n' ' ' <"$results/failed-projects")"; }

python3 - "$results" "$status" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0) or 0)
    skipped += int(c.get("notExecuted", 0))
status = int(sys.argv[2])
if status != 0 and failed == 0: failed = 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or status or passed == 0 else 0)
PY
