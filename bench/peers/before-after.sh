#!/usr/bin/env bash
# Strata-only before/after comparison on one workload scenario of the shared harness, runs
# interleaved (before, after, before, ...) so that load from other processes hits both alike.
# Usage: bench/peers/before-after.sh BEFORE_BIN AFTER_BIN WORKLOAD SCENARIO [RUNS]
#   DOCKERFILE=NAME (default Dockerfile) picks another Dockerfile of the context.
#   SCENARIO: cold | noop | a prep command run in the context dir (e.g. 'echo x >> app/main.js')
# Each binary gets its own store (/var/tmp/strata-ba-before, /var/tmp/strata-ba-after), loaded
# with the harness's base image; a warm-up build precedes non-cold scenarios. Prints wall
# seconds per run and the median, and peak RSS.
set -uo pipefail
before=$1 after=$2 workload=$3 scenario=$4 runs=${5:-3}
ctx=/var/tmp/bench-ctx/$workload
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$ctx" ] || /work/shared/bench/workloads/$workload/gen.sh "$ctx" >/dev/null
df=${DOCKERFILE:-Dockerfile}
build() { # bin root
    STRATA_ROOT=$2 /usr/bin/time -f "%e %M" "$1" build --network none -q -t "bench-out/strata-$workload:x" -f "$ctx/$df" "$ctx" 2>&1 >/dev/null | tail -1
}
prep() { # bin root
    [ -f "$2/index.json" ] || STRATA_ROOT=$2 "$1" load -q -i /var/tmp/bench-base/busybox-1.docker.tar >/dev/null
    case $scenario in
        cold) STRATA_ROOT=$2 "$here/strata-prune.sh" "$1" >/dev/null 2>&1 ;;
        noop) ;;
        *) (cd "$ctx" && RUN=$RANDOM sh -c "$scenario") ;;
    esac
}
declare -A times
for tool in before after; do
    bin=${!tool}; root=/var/tmp/strata-ba-$tool
    if [ "$scenario" != cold ]; then prep "$bin" "$root"; build "$bin" "$root" >/dev/null; fi
done
for i in $(seq "$runs"); do
    for tool in before after; do
        bin=${!tool}; root=/var/tmp/strata-ba-$tool
        prep "$bin" "$root"; sync
        r=$(build "$bin" "$root"); times[$tool]+="${r%% *} "; rss[$i]=${r##* }
        echo "$workload $scenario $tool run $i: ${r%% *} s, peak RSS $((${r##* } / 1024)) MB"
    done
done
for tool in before after; do
    echo "$workload | $scenario | $tool | median $(echo ${times[$tool]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') s | runs ${times[$tool]}"
done
