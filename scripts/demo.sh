#!/usr/bin/env bash
# The main job on an example, with a throwaway store: import a busybox root filesystem from the
# busybox-static package, list it, show its history and layers, save it, load it into a fresh
# store, build the examples/ Dockerfiles, show their history and layers, and check the stores.
set -euo pipefail
strata=${1:-strata}
work=$(mktemp -d /tmp/strata-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
run() { echo "\$ strata $*"; "$strata" --root "$work/store" "$@"; echo; }

mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp"
cp /bin/busybox "$work/rootfs/bin/busybox"
for applet in sh ls cat echo env; do ln -s busybox "$work/rootfs/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$work/rootfs/etc/passwd"
echo 'root:x:0:' > "$work/rootfs/etc/group"

run import "$work/rootfs" busybox:demo --change 'CMD ["sh"]' --change 'ENV PATH=/bin'
run images
run history busybox:demo
run history --format '{{.Size}}\t{{.CreatedBy}}\t{{.Comment}}' busybox:demo
run inspect --format '{{json .RootFS.Layers}}' busybox:demo
run save -o "$work/busybox.tar" busybox:demo
echo "\$ tar -tf busybox.tar"; tar -tf "$work/busybox.tar"; echo
echo "\$ strata --root second-store load -i busybox.tar"
"$strata" --root "$work/second" load -i "$work/busybox.tar"
"$strata" --root "$work/second" images
echo
examples=$(cd "$(dirname "$0")/../examples" && pwd)
run build -t layer-test "$examples/layer-test"
run history layer-test
run inspect --format '{{json .RootFS.Layers}}' layer-test
echo "== the same build again: every step comes from the cache"
run build -t layer-test "$examples/layer-test"
run build -t multistage "$examples/multistage"
run history multistage
run system df -v
run system check
