#!/usr/bin/env bash
# Registry benchmark (issue 12): pull and push of a SIZE_MB, LAYERS-layer image (bench/registry/
# genimage.py: seeded random bytes, so gzip cannot shrink it and every machine moves the same
# bytes) over loopback, side by side with `skopeo copy` (docker:// <-> oci: directory) and
# `docker pull` / `docker push` (a private dockerd started here), interleaved, RUNS repetitions.
# Prints a markdown table of median wall seconds, MB/s and peak RSS (/usr/bin/time) per tool.
# Every pull starts from an empty store / oci dir / docker image store; every push goes to a
# freshly wiped registry, so nothing is skipped or mounted. Not in CI; needs root (dockerd).
# Usage: bench/registry/run.sh [STRATA_BIN]      RUNS=3 SIZE_MB=500 LAYERS=10
#        (STRATA_BIN default artifacts/bin/strata: dotnet publish src/Strata.Cli -c Release -o artifacts/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
strata=${1:-${STRATA_BIN:-$here/../../artifacts/bin/strata}}
runs=${RUNS:-3}
size_mb=${SIZE_MB:-500}
layers=${LAYERS:-10}
work=${BENCH_DIR:-/var/tmp/strata-bench-registry}
[ -x "$strata" ] || { echo "no strata at $strata: dotnet publish src/Strata.Cli -c Release -o artifacts/bin" >&2; exit 1; }
for t in skopeo docker-registry /usr/sbin/dockerd /usr/bin/docker curl python3 /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "needs $t (scripts/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$work"

image="$work/image-${size_mb}m-${layers}"
[ -f "$image/index.json" ] || python3 "$here/genimage.py" "$image" "$size_mb" "$layers" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A reg_pid
start_registry() { # name port: a docker-registry with its storage in $work/name
  local name=$1 port=$2
  cat > "$work/$name.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/$name
http:
  addr: 127.0.0.1:$port
YML
  docker-registry serve "$work/$name.yml" > "$work/$name.log" 2>&1 &
  reg_pid[$name]=$!
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && return; sleep 0.1; done
  echo "registry $name did not start (see $work/$name.log)" >&2; exit 1
}
stop_registry() { local pid=${reg_pid[$1]:-}; [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }

dockerd_pid=
cleanup() {
  stop_registry source; stop_registry target
  if [ -n "$dockerd_pid" ]; then kill "$dockerd_pid" 2>/dev/null || true; wait "$dockerd_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

src_port=$(free_port); dst_port=$(free_port)
rm -rf "$work/source" "$work/target"
start_registry source "$src_port"
src="127.0.0.1:$src_port/bench/big:v1"
skopeo copy -q --dest-tls-verify=false "oci:$image:bench" "docker://$src"

D="/usr/bin/docker -H unix://$work/docker.sock"
rm -rf "$work/docker" "$work/docker-exec"
/usr/sbin/dockerd --iptables=false --bridge=none --data-root "$work/docker" --exec-root "$work/docker-exec" \
  --pidfile "$work/dockerd.pid" -H "unix://$work/docker.sock" \
  --insecure-registry "127.0.0.1:$src_port" --insecure-registry "127.0.0.1:$dst_port" > "$work/dockerd.log" 2>&1 &
dockerd_pid=$!
for _ in $(seq 240); do $D version >/dev/null 2>&1 && break; sleep 0.5; done
$D version >/dev/null 2>&1 || { echo "private dockerd did not start (see $work/dockerd.log)" >&2; exit 1; }

measure() { # operation tool command...: appends "operation tool seconds rss_kb"
  local op=$1 tool=$2; shift 2
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/err.out" || { cat "$work/err.out" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$op" "$tool" "$(cat "$work/time.out")" >> "$work/results.txt"
}
fresh_target() { stop_registry target; rm -rf "$work/target"; start_registry target "$dst_port"; }

rm -f "$work/results.txt"
S="$strata --root $work/store"
for r in $(seq "$runs"); do
  echo "run $r/$runs" >&2
  # Pulls, each into an empty destination.
  rm -rf "$work/store"
  measure pull strata $S pull -q "$src"
  rm -rf "$work/skopeo-oci"
  measure pull "skopeo copy" skopeo copy -q --src-tls-verify=false "docker://$src" "oci:$work/skopeo-oci:bench"
  $D rmi -f "$src" >/dev/null 2>&1 || true
  $D image prune -af >/dev/null 2>&1 || true
  measure pull docker $D pull -q "$src"
  # Pushes, each into an empty registry (no blob already there, nothing to mount).
  fresh_target
  $S tag "$src" "127.0.0.1:$dst_port/bench/strata:v1" >/dev/null
  measure push strata $S push -q "127.0.0.1:$dst_port/bench/strata:v1"
  fresh_target
  measure push "skopeo copy" skopeo copy -q --dest-tls-verify=false "oci:$work/skopeo-oci:bench" "docker://127.0.0.1:$dst_port/bench/skopeo:v1"
  fresh_target
  $D tag "$src" "127.0.0.1:$dst_port/bench/docker:v1"
  measure push docker $D push "127.0.0.1:$dst_port/bench/docker:v1"
  $D rmi -f "127.0.0.1:$dst_port/bench/docker:v1" >/dev/null 2>&1 || true
done
dockerd_hwm=$(awk '/VmHWM/ {print $2}' "/proc/$dockerd_pid/status" 2>/dev/null || echo 0)

python3 - "$work/results.txt" "$image" "$dockerd_hwm" <<'PY'
import collections, os, statistics, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    op, tool, measured = line.rstrip("\n").split("\t")
    sec, rss = measured.split()
    rows.setdefault((op, tool), []).append((float(sec), int(rss)))
blobs = os.path.join(sys.argv[2], "blobs", "sha256")
mb = sum(os.path.getsize(os.path.join(blobs, f)) for f in os.listdir(blobs)) / 1e6
print(f"image: {mb:.0f} MB of blobs; RSS of docker rows is the client's, dockerd's peak over the whole run was {int(sys.argv[3]) / 1024:.0f} MB")
print()
print("| operation | tool | median s | min-max s | MB/s | peak RSS MB | x fastest peer |")
print("|---|---|---:|---:|---:|---:|---:|")
for op in ("pull", "push"):
    peers = [statistics.median(v[0] for v in vals) for (o, t), vals in rows.items() if o == op and t != "strata"]
    fastest = min(peers) if peers else float("nan")
    for (o, tool), vals in rows.items():
        if o != op: continue
        secs = [v[0] for v in vals]; med = statistics.median(secs)
        print(f"| {op} | {tool} | {med:.2f} | {min(secs):.2f}-{max(secs):.2f} | {mb / med:.0f} | {max(v[1] for v in vals) / 1024:.0f} | {med / fastest:.2f} |")
PY
