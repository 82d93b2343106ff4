#!/usr/bin/env bash
# Issue 15's bench: the five bench/peers workloads built by root strata and by rootless strata
# (the same binary, run through setpriv as an unprivileged user with a subordinate range, its own
# store under its home) in one run. Rounds interleave the two (root, rootless, root, rootless...),
# each round the shared harness once per side with RUNS=1, so machine drift hits both alike.
# Prints a markdown table of medians and rootless/root per (workload, scenario); goal <= 1.2.
# Usage: bench/rootless/run.sh [workload...]
# Env: RUNS=3 (rounds), BENCH_USER=strata-bench (made with useradd if missing: Debian's useradd
# gives it /etc/subuid and /etc/subgid ranges), STRATA_BIN (default artifacts/bin/strata),
# BENCH_OUT (default /var/tmp/bench-results/rootless-<stamp>).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
harness=${BENCH_HARNESS:-$repo/../shared/bench}
strata=${STRATA_BIN:-$repo/artifacts/bin/strata}
[ -x "$strata" ] || { echo "build strata first: dotnet publish src/Strata.Cli -c Release -o artifacts/bin" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: the root side and setpriv to the bench user need it" >&2; exit 1; }
rounds=${RUNS:-3}
user=${BENCH_USER:-strata-bench}
out=${BENCH_OUT:-/var/tmp/bench-results/rootless-$(date +%Y%m%d-%H%M%S)}
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(w1-seed-layers w2-deps-cache w3-cow-bigfile w4-multistage-parallel w5-big-context)

id -u "$user" >/dev/null 2>&1 || useradd -m -U -s /bin/sh "$user"
grep -q "^$user:" /etc/subuid && grep -q "^$user:" /etc/subgid || { echo "$user has no /etc/subuid or /etc/subgid range" >&2; exit 1; }
home=$(getent passwd "$user" | cut -d: -f6)
uid=$(id -u "$user"); gid=$(id -g "$user")
# udev's defaults (0666), which a machine without udev may lack: fuse and the default network.
chmod a+rw /dev/fuse /dev/net/tun 2>/dev/null || true

# The binary where the user can read it, and a wrapper that is "strata" for the harness.
work=/var/tmp/strata-bench-rootless
rm -rf "$work"; mkdir -p "$work/bin"; cp -a "$(dirname "$strata")/." "$work/bin/"; chmod -R a+rX "$work"
install -d -o "$user" -g "$user" -m 0700 "$home/run"
cat >"$work/strata-as-user" <<WRAP
#!/bin/sh
exec setpriv --reuid $uid --regid $gid --init-groups env -i HOME=$home USER=$user LOGNAME=$user \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin XDG_DATA_HOME=$home/.local/share \
  XDG_RUNTIME_DIR=$home/run STRATA_ROOTLESS_QUIET=1 $work/bin/strata "\$@"
WRAP
chmod 0755 "$work/strata-as-user"

[ -f /var/tmp/bench-base/busybox-1.docker.tar ] || (cd "$harness" && ./make-base.sh)
chmod a+r /var/tmp/bench-base/busybox-1.docker.tar

side() { # name strata-command round
  local name=$1 cmd=$2 round=$3
  STRATA_PREP="$cmd load -q -i /var/tmp/bench-base/busybox-1.docker.tar" \
  STRATA_BUILD="$cmd build --network=none --progress=plain" \
  STRATA_PRUNE="$repo/bench/peers/strata-prune.sh $cmd" \
  STRATA_INSPECT="$repo/bench/peers/strata-inspect.sh $cmd" \
  TOOLS=strata RUNS=1 BENCH_ISOLATE=0 BENCH_OUT="$out/$name-$round" \
    bash -c 'cd "$1" && shift && ./run.sh "$@"' _ "$harness" "${workloads[@]}" >"$out/$name-$round.log" 2>&1 || true
  # The harness's exit status is not its verdict: its last line is a test that is false when it
  # started no dockerd (strata-only runs). A round failed when it wrote no timings; a build that
  # failed shows as a non-zero rc in raw.tsv, which the summary below refuses.
  [ -s "$out/$name-$round/raw.tsv" ] || { echo "round $round ($name) failed: $out/$name-$round.log" >&2; exit 1; }
  # The harness's contexts are made by root; the user must read them (they are not secrets).
  # Each side generates them afresh: some scenarios overwrite a file with the run's number,
  # which a reused context already holds (2026-12-07: BENCH_SKIP_GEN made three rows cache hits).
}

mkdir -p "$out"
export STRATA_ROOT=/var/tmp/strata-bench-root
for round in $(seq 1 "$rounds"); do
  echo "[rootless bench] round $round/$rounds: root" >&2
  side root "$strata" "$round"
  chmod -R a+rX /var/tmp/bench-ctx
  echo "[rootless bench] round $round/$rounds: rootless ($user)" >&2
  side rootless "$work/strata-as-user" "$round"
done

python3 - "$out" <<'PY'
import glob, os, statistics, sys
out = sys.argv[1]
times, order = {}, []
for side in ("root", "rootless"):
    for raw in sorted(glob.glob(os.path.join(out, side + "-*", "raw.tsv"))):
        for line in open(raw):
            w, sc, tool, i, secs, rc = line.rstrip("\n").split("\t")
            if rc != "0":
                sys.exit(f"{raw}: {w} {sc} failed (exit {rc})")
            key = (w, sc)
            if key not in order: order.append(key)
            times.setdefault((side,) + key, []).append(float(secs))
print("| workload | scenario | root median (min-max) s | rootless median (min-max) s | rootless / root |")
print("|---|---|---:|---:|---:|")
for w, sc in order:
    r, u = times.get(("root", w, sc), []), times.get(("rootless", w, sc), [])
    if not r or not u: continue
    fmt = lambda v: f"{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
    print(f"| {w.split('-')[0]} | {sc} | {fmt(r)} | {fmt(u)} | {statistics.median(u) / statistics.median(r):.2f} |")
PY
