#!/bin/bash
# SIGKILL soak (issue 18 item 3): KILLS random SIGKILLs of `strata import` of a big root
# filesystem, then KILLS of a RUN-heavy `strata build`, each followed by `strata system check`.
# Counts faults (FAULT lines, or check failing), processes that outlived the kill, and what is
# still running or mounted for the store once the next command (`strata images`, which reaps
# what killed processes left) has run. Goal: 0 faults, 0 leftovers. Not in CI; root; see README.md.
#   bench/soak/sigkill-soak.sh [KILLS] [BIG_MB]     STRATA=path/to/strata (default artifacts/bin/strata)
#                                                   SEED=N for a repeatable sequence of kill times
set -u
KILLS=${1:-30}
BIG_MB=${2:-400}
HERE=$(cd "$(dirname "$0")" && pwd)
STRATA=${STRATA:-$HERE/../../artifacts/bin/strata}
RANDOM=${SEED:-$$}
WORK=$(mktemp -d /tmp/strata-soak-XXXXXX)
STORE=$WORK/store
S="$STRATA --root $STORE"

# Processes tied to the store (command line names it, or root or cwd inside it), zombies excepted.
# One python pass over /proc: a fork per process would take seconds on a loaded machine.
store_processes() {
  python3 - "$STORE" <<'PY'
import os, sys
store = sys.argv[1]
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                continue
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        links = []
        for link in ("root", "cwd"):
            try:
                links.append(os.readlink(f"/proc/{pid}/{link}"))
            except OSError:
                pass
        if store in cmd or any(l.startswith(store + "/") for l in links):
            print(pid, cmd[:120])
    except (OSError, IndexError):
        pass
PY
}
store_mounts() { awk -v s="$STORE/" 'index($5, s) == 1 { print $5 }' /proc/self/mountinfo; }

cleanup() {
  store_processes | awk '{print $1}' | xargs -r kill -9 2>/dev/null
  store_mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# Base image: static busybox with the applets the build uses.
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/tmp"
cp /bin/busybox "$ROOTFS/bin/busybox"
for a in sh echo cat dd seq rm sleep sync true wc; do ln -s busybox "$ROOTFS/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
echo 'root:x:0:' > "$ROOTFS/etc/group"
$S import "$ROOTFS" busy:1 > /dev/null || { echo "import of the base failed" >&2; exit 1; }
python3 "$HERE/../store/gentree.py" mixed "$WORK/big" "$BIG_MB" > /dev/null

# RUN-heavy: many files, a 64 MB write, a cache mount, a secret mount, background processes.
CTX=$WORK/ctx
mkdir -p "$CTX"
echo 'soak-secret' > "$WORK/secret"
cat > "$CTX/Dockerfile" <<'DOCKERFILE'
FROM busy:1
RUN for i in $(seq 1 300); do echo $i > /tmp/f$i; done && sleep 1
RUN dd if=/dev/zero of=/big bs=1M count=64 2>/dev/null && sync && sleep 1
RUN --mount=type=cache,target=/cache echo x > /cache/x && sleep 1
RUN --mount=type=secret,id=s cat /run/secrets/s | wc -c && sleep 1
RUN sleep 2 & sleep 1; wait
RUN rm /big && echo done
DOCKERFILE
IMPORT=(import "$WORK/big" big:1)
BUILD=(build --no-cache --progress plain --secret "id=s,src=$WORK/secret" -t soak:1 "$CTX")

ms() { date +%s%3N; }

# soak NAME ARGS...: one unkilled run to time it, then KILLS runs killed at a random moment of it.
soak() {
  local name=$1; shift
  local t0 dur i delay pid out faults=0 survived=0 procs=0 mounts=0 unreaped=0 reaped=0 left
  t0=$(ms); $S "$@" > /dev/null 2>&1 || { echo "$name: the unkilled run failed" >&2; exit 1; }
  dur=$(( $(ms) - t0 ))
  for i in $(seq "$KILLS"); do
    delay=$(( 100 + (RANDOM * 32768 + RANDOM) % (dur > 100 ? dur - 100 : 1) ))
    $S "$@" > "$WORK/out" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # What outlives the kill: a bound step container dies with the builder (give the kernel 2 s).
    for _ in $(seq 20); do [ -z "$(store_processes)" ] && break; sleep 0.1; done
    left=$(store_processes | wc -l); survived=$((survived + left))
    out=$($S system check 2>&1); local rc=$?
    local f; f=$(grep -c '^FAULT' <<< "$out")
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    faults=$((faults + f))
    reaped=$((reaped + $(grep -cE 'which is gone|earlier strata' <<< "$out")))
    echo "$name kill $i at ${delay} ms: $f faults, $left outlived the kill" >&2
    [ "$f" -gt 0 ] && { echo "--- check says"; echo "$out"; } >&2
    $S images -q > /dev/null 2>&1      # the next command: reaps what the killed one left
    procs=$((procs + $(store_processes | wc -l)))
    mounts=$((mounts + $(store_mounts | wc -l)))
    out=$($S system check 2>&1)
    unreaped=$((unreaped + $(grep -cE 'which is gone|earlier strata' <<< "$out")))
    [ "$(store_processes | wc -l)" -gt 0 ] || [ "$(store_mounts | wc -l)" -gt 0 ] && {
      echo "--- $name kill $i at ${delay} ms left:"; store_processes; store_mounts; } >&2
  done
  printf '| %s | %d | %d | %d | %d | %d | %d | %d | %d |\n' "$name" "$KILLS" "$dur" "$faults" "$survived" "$reaped" "$procs" "$mounts" "$unreaped"
}

echo "strata: $($STRATA version 2>/dev/null | head -1); $(uname -r); $(nproc) CPUs; big rootfs ${BIG_MB} MB"
echo '| workload | kills | unkilled run ms | faults | processes outliving the kill | leftovers check saw | processes after next command | mounts after next command | leftovers after next command |'
echo '|---|---:|---:|---:|---:|---:|---:|---:|---:|'
soak import "${IMPORT[@]}"
soak build "${BUILD[@]}"
