#!/usr/bin/env bash
# Runs every test of the solution (unit, conformance, integration with real tools) and prints
# one closing line "N passed, N failed, N skipped". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1

results=$(mktemp -d /tmp/strata-test-results.XXXXXX)
dotnet build Strata.slnx -c Release -nologo -v q || { echo "0 passed, 1 failed (build)"; exit 1; }
dotnet publish src/Strata.Cli -c Release -nologo -v q -o artifacts/bin || { echo "0 passed, 1 failed (AOT publish)"; exit 1; }
export STRATA_BIN="$PWD/artifacts/bin/strata"

dotnet test Strata.slnx -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=minimal" 2>&1 | tee "$results/console.log" 
status=${PIPESTATUS[0]}

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
