#!/usr/bin/env bash
# No-op rebuild and start-up timing of several strata binaries, runs interleaved (a, b, c, a, b,
# c, ...) so that load from other processes hits every binary alike (issue 17's no-op rows).
#
# Usage: bench/noop/run.sh [-n RUNS] NAME=BIN [NAME=BIN]... [-- WORKLOAD...]
#   e.g. bench/noop/run.sh -n 31 before=/var/tmp/before-bin/strata after=artifacts/bin/strata
# Workloads (default: all five) are the shared harness's, generated into $BENCH_CTX
# (/var/tmp/bench-ctx) when missing; the base image is $BENCH_BASE (a `docker save` of
# bench/busybox:1, default /var/tmp/bench-base/busybox-1.docker.tar). Each binary has its own
# store per workload ($BENCH_STORES/NAME-WORKLOAD, default /var/tmp/noop-stores), loaded and
# built twice before timing. Wall time by date +%s%N around each `build --network none -q`;
# prints median and quartiles in ms per binary, plus `--version` as the process start-up floor.
set -uo pipefail
runs=31
[ "${1:-}" = -n ] && { runs=$2; shift 2; }
names=() bins=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do names+=("${1%%=*}"); bins+=("${1#*=}"); shift; done
[ "${1:-}" = -- ] && shift
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(w1-seed-layers w2-deps-cache w3-cow-bigfile w4-multistage-parallel w5-big-context)
[ ${#names[@]} -gt 0 ] || { sed -n '2,12p' "$0"; exit 2; }
ctxs=${BENCH_CTX:-/var/tmp/bench-ctx} base=${BENCH_BASE:-/var/tmp/bench-base/busybox-1.docker.tar}
stores=${BENCH_STORES:-/var/tmp/noop-stores}
shared=$(cd "$(dirname "$0")/../../../shared/bench/workloads" 2>/dev/null && pwd)

ms() { echo $(( ($2 - $1) / 100000 )); }   # tenths of a millisecond
stats() { # tenths... -> "median (p25-p75)" in ms
    tr ' ' '\n' <<<"$*" | grep . | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms (%.1f-%.1f)", a[int((NR+1)/2)]/10, a[int(NR/4)+1]/10, a[int(3*NR/4)]/10}'
}
build() { # bin root ctx
    STRATA_ROOT=$2 "$1" build --network none -q -t bench-out/noop:x -f "$3/Dockerfile" "$3" >/dev/null 2>"$2.err"
}

declare -A t=()
for i in $(seq "$runs"); do
    for k in "${!names[@]}"; do
        s=$(date +%s%N); "${bins[$k]}" --version >/dev/null; e=$(date +%s%N)
        t[${names[$k]}/version]+="$(ms "$s" "$e") "
    done
done
for k in "${!names[@]}"; do echo "--version | ${names[$k]} | $(stats ${t[${names[$k]}/version]})"; done

for w in "${workloads[@]}"; do
    ctx=$ctxs/$w
    [ -d "$ctx" ] || "$shared/$w/gen.sh" "$ctx" >/dev/null
    for k in "${!names[@]}"; do
        root=$stores/${names[$k]}-$w; mkdir -p "$stores"
        [ -f "$root/index.json" ] || STRATA_ROOT=$root "${bins[$k]}" load -q -i "$base" >/dev/null
        build "${bins[$k]}" "$root" "$ctx"; build "${bins[$k]}" "$root" "$ctx" || { echo "$w: ${names[$k]} failed: $(cat "$root.err")" >&2; exit 1; }
    done
    for i in $(seq "$runs"); do
        for k in "${!names[@]}"; do
            root=$stores/${names[$k]}-$w
            s=$(date +%s%N); build "${bins[$k]}" "$root" "$ctx"; e=$(date +%s%N)
            t[${names[$k]}/$w]+="$(ms "$s" "$e") "
        done
    done
    for k in "${!names[@]}"; do echo "$w no-op | ${names[$k]} | $(stats ${t[${names[$k]}/$w]})"; done
done
echo "runs: $runs per row, interleaved; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
