#!/bin/bash
# Container start latency (`run --rm IMG true`, median of RUNS) of strata, docker (a private
# dockerd started here) and podman, side by side; then the copy-up cost of appending one byte to
# a BIG_MB lower file (strata vs docker). Not in CI. Usage (root):
#   bench/containers/run.sh [RUNS] [BIG_MB]      STRATA=path/to/strata (default artifacts/bin/strata)
set -eu
RUNS=${1:-15}
BIG_MB=${2:-512}
HERE=$(cd "$(dirname "$0")" && pwd)
STRATA=${STRATA:-$HERE/../../artifacts/bin/strata}
WORK=$(mktemp -d /tmp/strata-bench-ct-XXXXXX)
DOCKERD_PID=
cleanup() {
  [ -n "$DOCKERD_PID" ] && kill "$DOCKERD_PID" 2>/dev/null && while kill -0 "$DOCKERD_PID" 2>/dev/null; do sleep 0.2; done
  podman --root "$WORK/podman" --runroot "$WORK/podman-run" rmi -a -f > /dev/null 2>&1 || true
  umount -R "$WORK"/podman/overlay 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/dev" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/tmp"
cp /bin/busybox "$ROOTFS/bin/busybox"
for a in sh true printf; do ln -s busybox "$ROOTFS/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
# Real bytes (not sparse) that compress well, so import and load stay quick.
yes 'strata copy-up bench: one byte appended copies the whole file up' | head -c $((BIG_MB * 1024 * 1024)) > "$ROOTFS/big.bin"
tar -C "$ROOTFS" -cf "$WORK/rootfs.tar" .

ms() { date +%s%3N; }
# median CMD...: runs CMD RUNS times, prints the median wall time in ms.
median() {
  : > "$WORK/times"
  for _ in $(seq "$RUNS"); do
    local t0; t0=$(ms); "$@" > /dev/null; echo $(( $(ms) - t0 )) >> "$WORK/times"
  done
  sort -n "$WORK/times" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'
}

S="$STRATA --root $WORK/store"
$S import "$ROOTFS" bench:1 > /dev/null
$S run --rm --network none bench:1 true   # unpacks the layer once (no network, like the peers below)
echo "start latency, median of $RUNS (ms):"
echo "  strata run --rm IMG true:  $(median $S run --rm --network none bench:1 true)"

D="/usr/bin/docker -H unix://$WORK/docker.sock"
/usr/sbin/dockerd --iptables=false --bridge=none --data-root "$WORK/docker" --exec-root "$WORK/docker-exec" \
  --pidfile "$WORK/dockerd.pid" -H "unix://$WORK/docker.sock" > "$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 120); do $D version > /dev/null 2>&1 && break; sleep 0.5; done
if $D version > /dev/null 2>&1; then
  $D import "$WORK/rootfs.tar" bench:1 > /dev/null
  $D run --rm --network none bench:1 true
  echo "  docker run --rm IMG true:  $(median $D run --rm --network none bench:1 true)"
else
  echo "  docker: private dockerd did not start (see $WORK/dockerd.log)"
fi

if command -v podman > /dev/null; then
  P="podman --root $WORK/podman --runroot $WORK/podman-run --cgroup-manager=cgroupfs --events-backend=file"
  $P import "$WORK/rootfs.tar" bench:1 > /dev/null 2>&1
  # podman raises RLIMIT_NOFILE/NPROC for its containers; where the host forbids that (a nested
  # container host), runc fails with "error setting rlimits": reported, not fatal.
  if $P run --rm --network none bench:1 true; then
    echo "  podman run --rm IMG true:  $(median $P run --rm --network none bench:1 true)"
  else
    echo "  podman: could not run a container on this host (error above)"
  fi
else
  echo "  podman: not installed (scripts/install-deps.sh installs it)"
fi

echo "copy-up of one byte appended to a ${BIG_MB} MB lower file, run --rm, median of 3 (ms):"
RUNS=3
echo "  strata: $(median $S run --rm bench:1 sh -c 'printf x >> /big.bin')"
$S run --name cow bench:1 sh -c 'printf x >> /big.bin'
$S diff --size cow | sed 's/^/    /'
$S rm cow > /dev/null
if $D version > /dev/null 2>&1; then
  echo "  docker: $(median $D run --rm --network none bench:1 sh -c 'printf x >> /big.bin')"
  $D run --name cow --network none bench:1 sh -c 'printf x >> /big.bin'
  $D diff cow | sed 's/^/    /'
  $D rm cow > /dev/null
fi
