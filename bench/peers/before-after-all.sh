#!/usr/bin/env bash
# Issue 11's before/after: every scenario of every workload of the shared harness, each one
# measured by before-after.sh (the two binaries interleaved run by run), all in one run.
# Usage: bench/peers/before-after-all.sh BEFORE_BIN AFTER_BIN [RUNS] [workload...]
# Prints before-after.sh's lines and, at the end, one markdown row per scenario with after/before.
set -uo pipefail
before=$1 after=$2 runs=${3:-3}; shift 3 2>/dev/null || shift $#
here=$(cd "$(dirname "$0")" && pwd)
harness=${BENCH_HARNESS:-$here/../../../shared/bench}
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(w1-seed-layers w2-deps-cache w3-cow-bigfile w4-multistage-parallel w5-big-context)
summary=$(mktemp)
for w in "${workloads[@]}"; do
    while read -r sc df prep; do
        case "$sc" in ''|\#*) continue ;; esac
        prep=${prep#@nowarm }
        case "$prep" in @prune) scenario=cold ;; :) scenario=noop ;; *) scenario=$prep ;; esac
        out=$(DOCKERFILE=$df "$here/before-after.sh" "$before" "$after" "$w" "$scenario" "$runs")
        echo "$out"
        b=$(echo "$out" | awk -F'|' '$3 ~ /before/ {sub(/.*median /, "", $4); print $4+0}')
        a=$(echo "$out" | awk -F'|' '$3 ~ /after/ {sub(/.*median /, "", $4); print $4+0}')
        awk -v w="$w" -v s="$sc" -v b="$b" -v a="$a" 'BEGIN {printf "| %s | %s | %.2f | %.2f | %.2f |\n", w, s, b, a, (b > 0 ? a / b : 0)}' >>"$summary"
    done <"$harness/workloads/$w/scenarios"
done
echo
echo "| workload | scenario | before median s | after median s | after / before |"
echo "|---|---|---:|---:|---:|"
cat "$summary"; rm -f "$summary"
