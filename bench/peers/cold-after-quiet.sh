#!/usr/bin/env bash
# Cold builds with the filesystem's "recently deleted" window out of the way, BuildKit and strata
# side by side. Why: ext4 without a journal (this VM's disk) will not reuse an inode freed in the
# last 60 s and scans past every such inode on each create (fs/ext4/ialloc.c recently_deleted),
# so a 20,000-file RUN right after a prune takes 5x longer, for whichever tool builds there;
# the shared harness prunes right before each cold run. Here both tools' caches are cleared,
# then nothing happens for QUIET seconds, then both build (order alternating run by run).
# Usage: bench/peers/cold-after-quiet.sh [workload ...]   (RUNS=3 QUIET=65)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
harness=${BENCH_HARNESS:-$repo/../shared/bench}
strata=${STRATA_BIN:-$repo/artifacts/bin/strata}
export STRATA_ROOT=${STRATA_ROOT:-/var/tmp/strata-bench-root}
RUNS=${RUNS:-3}; QUIET=${QUIET:-65}
ctx_root=${BENCH_CTX_DIR:-/var/tmp/bench-ctx}
workloads=("$@"); [ ${#workloads[@]} -gt 0 ] || workloads=(w2-deps-cache)
"$harness/dockerd-private.sh" status >/dev/null 2>&1 || { "$harness/dockerd-private.sh" start >/dev/null; trap '"$harness/dockerd-private.sh" stop >/dev/null' EXIT; }
export DOCKER_HOST=unix:///run/bench-docker/docker.sock
docker=/usr/bin/docker
"$strata" load -q -i /var/tmp/bench-base/busybox-1.docker.tar >/dev/null
$docker image inspect bench/busybox:1 >/dev/null 2>&1 || $docker load -q -i /var/tmp/bench-base/busybox-1.docker.tar >/dev/null

build() { # tool workload -> seconds
  local t0 t1; t0=$(date +%s%N)
  case $1 in
    docker-bk) DOCKER_BUILDKIT=1 $docker build --network=none --progress=plain -t "bench-out/quiet-$2" "$ctx_root/$2" >/dev/null 2>&1 ;;
    strata) "$strata" build --network=none --progress=plain -t "bench-out/quiet-$2" "$ctx_root/$2" >/dev/null 2>&1 ;;
  esac
  t1=$(date +%s%N); awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1e9}'
}
prune_all() {
  $docker images --format '{{.Repository}}:{{.Tag}}' | grep '^bench-out/' | xargs -r $docker rmi -f >/dev/null 2>&1 || true
  $docker builder prune -af >/dev/null 2>&1
  "$here/strata-prune.sh" "$strata" >/dev/null 2>&1
  sync
}

printf 'workload\trun\ttool\tseconds\n'
for w in "${workloads[@]}"; do
  [ -d "$ctx_root/$w" ] || "$harness/workloads/$w/gen.sh" "$ctx_root/$w" >/dev/null
  for i in $(seq 1 "$RUNS"); do
    order="docker-bk strata"; [ $((i % 2)) = 0 ] && order="strata docker-bk"
    for tool in $order; do
      prune_all; sleep "$QUIET"
      printf '%s\t%s\t%s\t%s\n' "$w" "$i" "$tool" "$(build "$tool" "$w")"
    done
  done
done
