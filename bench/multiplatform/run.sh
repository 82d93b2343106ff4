#!/bin/bash
# Multi-platform build time: `build --platform linux/amd64,linux/arm64` in one run against the two
# platforms built one after the other (two `build --platform X` runs), for a small Dockerfile with
# one RUN, in two variants: "emulated" (the RUN runs for each platform, arm64 through qemu-user's
# binfmt_misc handler) and "cross" (the RUN is in a FROM --platform=$BUILDPLATFORM stage that makes
# both targets' files natively; each target stage only copies). Every build starts from a copy of
# a store holding just the base index (cold cache), so every RUN really runs. Medians of RUNS.
# Not in CI. Usage (root, amd64 host):
#   bench/multiplatform/run.sh [RUNS]      STRATA=path/to/strata (default artifacts/bin/strata)
# Needs qemu-user-static and Debian's busybox-static:arm64 .deb (scripts/install-deps.sh puts it at
# /var/lib/strata-tests/busybox-static_arm64.deb); registers qemu-aarch64 (F) if it is not, and
# unregisters only what it registered.
set -eu
RUNS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
STRATA=${STRATA:-$HERE/../../artifacts/bin/strata}
DEB=/var/lib/strata-tests/busybox-static_arm64.deb
BINFMT=/proc/sys/fs/binfmt_misc
WORK=$(mktemp -d /tmp/strata-bench-mp-XXXXXX)
REGISTERED=
cleanup() {
  [ -n "$REGISTERED" ] && echo -1 > "$BINFMT/qemu-aarch64"
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -s "$DEB" ] || { echo "missing $DEB: run scripts/install-deps.sh" >&2; exit 1; }
[ -e "$BINFMT/status" ] || mount -t binfmt_misc binfmt_misc "$BINFMT"
if [ ! -e "$BINFMT/qemu-aarch64" ]; then
  line=$(grep '^:qemu-aarch64:' /usr/lib/binfmt.d/qemu-aarch64.conf)
  case "${line##*:}" in *F*) ;; *) line="${line}F" ;; esac
  echo "$line" > "$BINFMT/register"
  REGISTERED=1
fi

# The base: busybox for amd64 (the host's busybox-static) and arm64 (the .deb), one index.
BASE=$WORK/base
dpkg-deb -x "$DEB" "$WORK/deb"
for arch in amd64 arm64; do
  r=$BASE/rootfs-$arch
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/dev" "$r/proc" "$r/sys"
  if [ $arch = amd64 ]; then cp /bin/busybox "$r/bin/busybox"; else cp "$WORK/deb/bin/busybox" "$r/bin/busybox"; fi
  for a in sh seq md5sum mkdir echo uname cat; do ln -s busybox "$r/bin/$a"; done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
done
printf 'FROM scratch\nARG TARGETARCH\nCOPY rootfs-$TARGETARCH/ /\n' > "$BASE/Dockerfile"
"$STRATA" --root "$WORK/store0" build -q --platform linux/amd64,linux/arm64 -t busybox:multi "$BASE" > /dev/null

# One RUN of a little CPU work (a checksum of 300k numbers), the same in both variants.
WORKLOAD='seq 1 300000 | md5sum'
mkdir -p "$WORK/emulated" "$WORK/cross"
printf 'FROM busybox:multi\nRUN %s > /sum\n' "$WORKLOAD" > "$WORK/emulated/Dockerfile"
printf 'FROM --platform=$BUILDPLATFORM busybox:multi AS build\nRUN mkdir /out && for a in amd64 arm64; do %s > /out/$a; done\nFROM busybox:multi\nARG TARGETARCH\nCOPY --from=build /out/$TARGETARCH /sum\n' "$WORKLOAD" > "$WORK/cross/Dockerfile"

ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
# time_build VARIANT MODE: one build (MODE together|apart) on a fresh copy of the base store, in ms.
time_build() {
  rm -rf "$WORK/store"; cp -a "$WORK/store0" "$WORK/store"
  local S="$STRATA --root $WORK/store" t0; t0=$(ms)
  if [ "$2" = together ]; then
    $S build -q --platform linux/amd64,linux/arm64 -t out:1 "$WORK/$1" > /dev/null
  else
    $S build -q --platform linux/amd64 -t out-amd64:1 "$WORK/$1" > /dev/null
    $S build -q --platform linux/arm64 -t out-arm64:1 "$WORK/$1" > /dev/null
  fi
  echo $(( $(ms) - t0 ))
}

echo "two-platform build (linux/amd64 + linux/arm64), cold cache, median of $RUNS (ms); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %14s %20s %7s\n' variant "one run" "one after other" ratio
for variant in emulated cross; do
  : > "$WORK/together"; : > "$WORK/apart"
  # Interleaved, so a change in the machine's load hits both modes alike.
  for _ in $(seq "$RUNS"); do
    time_build $variant together >> "$WORK/together"
    time_build $variant apart >> "$WORK/apart"
  done
  t=$(median < "$WORK/together"); a=$(median < "$WORK/apart")
  printf '%-9s %14s %20s %7s\n' $variant "$t" "$a" "$(awk -v t="$t" -v a="$a" 'BEGIN {printf "%.2f", t / a}')"
done
