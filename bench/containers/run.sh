#!/bin/sh
# Container start latency (`strata run --rm IMG true`) and the copy-up cost of appending one
# byte to a big lower file, with strata; docker's figures too when /usr/bin/docker can reach a
# daemon. Usage: bench/containers/run.sh [RUNS] [BIG_MB]   (root; STRATA=path to strata)
set -eu
RUNS=${1:-20}
BIG_MB=${2:-512}
STRATA=${STRATA:-$(dirname "$0")/../../src/Strata.Cli/bin/Release/net10.0/strata}
[ -x "$STRATA" ] || STRATA=$(dirname "$0")/../../src/Strata.Cli/bin/Debug/net10.0/strata
WORK=$(mktemp -d /tmp/strata-bench-ct-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/dev" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/tmp"
cp /bin/busybox "$ROOTFS/bin/busybox"
for a in sh true printf; do ln -s busybox "$ROOTFS/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
head -c $((BIG_MB * 1024 * 1024)) /dev/urandom > "$ROOTFS/big.bin"
S="$STRATA --root $WORK/store"
$S import "$ROOTFS" bench:1 > /dev/null
$S run --rm bench:1 true   # unpacks the layer once

ms() { date +%s%3N; }
start=$(ms)
i=0; while [ $i -lt "$RUNS" ]; do $S run --rm bench:1 true; i=$((i + 1)); done
echo "strata run --rm true: $(( ($(ms) - start) / RUNS )) ms per run ($RUNS runs)"

start=$(ms)
$S run --name cow bench:1 sh -c 'printf x >> /big.bin'
echo "strata copy-up of a ${BIG_MB} MB file: $(( $(ms) - start )) ms; diff --size:"
$S diff --size cow
$S rm cow > /dev/null

if /usr/bin/docker info > /dev/null 2>&1; then
  tar -C "$ROOTFS" -c . | /usr/bin/docker import - strata-bench:1 > /dev/null
  /usr/bin/docker run --rm --network none strata-bench:1 true
  start=$(ms)
  i=0; while [ $i -lt "$RUNS" ]; do /usr/bin/docker run --rm --network none strata-bench:1 true; i=$((i + 1)); done
  echo "docker run --rm true: $(( ($(ms) - start) / RUNS )) ms per run"
  start=$(ms)
  /usr/bin/docker run --rm --network none strata-bench:1 sh -c 'printf x >> /big.bin'
  echo "docker copy-up of a ${BIG_MB} MB file: $(( $(ms) - start )) ms"
  /usr/bin/docker rmi strata-bench:1 > /dev/null
fi
