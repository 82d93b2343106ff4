#!/usr/bin/env bash
# Runs the shared peer harness (../shared/bench: BuildKit, classic builder, buildah) with strata
# dropped in through STRATA_BUILD, all side by side in one run. Extra arguments are workloads.
# Usage: bench/peers/run-with-strata.sh [w1-seed-layers ...]   (RUNS, TOOLS as the harness takes them)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
harness=${BENCH_HARNESS:-$repo/../shared/bench}
strata=${STRATA_BIN:-$repo/artifacts/bin/strata}
[ -x "$strata" ] || { echo "build strata first: dotnet publish src/Strata.Cli -c Release -o artifacts/bin" >&2; exit 1; }
export STRATA_ROOT=${STRATA_ROOT:-/var/tmp/strata-bench-root}

# The harness's base image tarball (make-base.sh writes it) is loaded once under its bench name.
export STRATA_PREP="$strata load -q -i /var/tmp/bench-base/busybox-1.docker.tar"
export STRATA_BUILD="$strata build --network=none --progress=plain"
export STRATA_PRUNE="$here/strata-prune.sh $strata"
export STRATA_INSPECT="$here/strata-inspect.sh $strata"
cd "$harness"
[ -f /var/tmp/bench-base/busybox-1.docker.tar ] || ./make-base.sh
exec ./run.sh "$@"
