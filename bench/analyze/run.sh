#!/usr/bin/env bash
# Analyze benchmark (issue 13): `strata analyze --json` and `strata analyze --ci` of images of
# 10,000, 100,000 (1 GB) and 1,000,000 files, against reading every layer once with `tar -tzf`
# (GNU tar piping each gzip blob through gzip -d), the issue's floor. Goals: analyze within 1.5x of
# tar, peak RSS under 300 MB at every size.
#
# Images: bench/analyze/genimage.py writes each as an OCI layout of 4 gzip layers (base, install
# with overwrites, chmod-only re-stores and a big-file append, cleanup with whiteouts, a deleted
# tree and an opaque directory, app) under $BENCH_DIR (/var/tmp/strata-bench-analyze), reproducibly
# (fixed seeds); each is loaded into a scratch store of its own, and tar reads the very blobs that
# store holds. Runs are interleaved (tar, json, ci, tar, ...) RUNS times (default 3).
# Measured by /usr/bin/time: wall, user and system CPU, peak RSS (tar's row: the largest of tar
# and gzip). On a machine shared with other work compare CPU (user+sys), not wall time: the
# "x tar" column is the ratio of CPU medians; the wall ratio is printed beside it.
#
# dive (`dive --ci`, the issue's peer) is not in this table: it cannot be installed here. Debian 12
# has no `dive` package (`apt-cache show dive`: no packages found, bookworm lists of 2026-12-07),
# the npm registry's `dive` (0.5.0) is an unrelated directory walker, and dive is a Go program
# (github.com/wagoodman/dive) shipped as binaries on GitHub, built from modules of the Go module
# proxy; this machine reaches only the Debian, npm and NuGet registries. Where dive is on PATH
# (or DIVE=path), a `dive --ci` row of a `strata save` archive of the same image is added.
#
# Usage: bench/analyze/run.sh [STRATA_BIN]       RUNS=3 SIZES="10k:10000:100 100k:100000:1024 1m:1000000:1024"
#        (STRATA_BIN default artifacts/bin/strata: dotnet publish src/Strata.Cli -c Release -o artifacts/bin)
#        SIZES: NAME:FILES:TOTAL_MB of file content. Not in CI; no root needed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
strata=${1:-${STRATA_BIN:-$here/../../artifacts/bin/strata}}
runs=${RUNS:-3}
sizes=${SIZES:-"10k:10000:100 100k:100000:1024 1m:1000000:1024"}
work=${BENCH_DIR:-/var/tmp/strata-bench-analyze}
dive=${DIVE:-$(command -v dive || true)}
[ -x "$strata" ] || { echo "no strata at $strata: dotnet publish src/Strata.Cli -c Release -o artifacts/bin" >&2; exit 1; }
for t in tar gzip python3 /usr/bin/time; do command -v "$t" >/dev/null || { echo "needs $t" >&2; exit 1; }; done
mkdir -p "$work"

measure() { # image tool allowed-exit command...: appends "image tool wall user sys rss_kb"
  local img=$1 tool=$2 allowed=$3; shift 3
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/err.out" || rc=$?
  # GNU time exits with the command's status; --ci exits 1 when a gate is breached, which is a result.
  if [ "$rc" != 0 ] && [ "$rc" != "$allowed" ]; then echo "$img $tool: exit $rc" >&2; cat "$work/err.out" >&2; exit 1; fi
  printf '%s\t%s\t%s\n' "$img" "$tool" "$(tail -n 1 "$work/time.out")" >> "$work/results.txt"
}

declare -A id blobs
names=()
for spec in $sizes; do
  IFS=: read -r name files mb <<<"$spec"
  names+=("$name")
  img="$work/img-$name"
  if [ ! -f "$img/bench.json" ]; then
    echo "generating $name: $files files, $mb MB ..." >&2
    rm -rf "$img"; python3 "$here/genimage.py" "$img" "$files" "$mb" >/dev/null
  fi
  store="$work/store-$name"
  if [ ! -f "$store/index.json" ]; then
    rm -rf "$store"
    tar -C "$img" -cf - . | "$strata" --root "$store" load -q >/dev/null
  fi
  id[$name]=$("$strata" --root "$store" images -q --no-trunc | head -n 1)
  list=""
  for d in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["layerDigests"]))' "$img/bench.json"); do
    b="$store/blobs/sha256/${d#sha256:}"
    [ -f "$b" ] || { echo "$name: the store does not hold layer $d as loaded" >&2; exit 1; }
    list+="$b "
  done
  blobs[$name]=$list
done

rm -f "$work/results.txt"
cd "$work"   # no .strata-ci.yaml or .dive-ci here: --ci takes the gates from its flags
for r in $(seq "$runs"); do
  echo "run $r/$runs" >&2
  for name in "${names[@]}"; do
    S="$strata --root $work/store-$name"
    measure "$name" "tar -tzf (each layer)" 0 sh -c "for b in ${blobs[$name]}; do tar -tzf \"\$b\" >/dev/null; done"
    measure "$name" "strata analyze --json" 0 $S analyze --json "${id[$name]}"
    # dive's default .dive-ci gates, so the two CI rows check the same thing.
    measure "$name" "strata analyze --ci" 1 $S analyze --ci --lowest-efficiency 0.9 --highest-user-wasted-percent 0.1 "${id[$name]}"
    if [ -n "$dive" ]; then
      [ -f "$work/img-$name.docker.tar" ] || $S save -o "$work/img-$name.docker.tar" "${id[$name]}"
      measure "$name" "dive --ci" 1 "$dive" --ci --source docker-archive "$work/img-$name.docker.tar"
    fi
  done
done

python3 - "$work" "$sizes" <<'PY'
import collections, json, os, statistics, sys
work, sizes = sys.argv[1], sys.argv[2].split()
rows = collections.OrderedDict()
for line in open(os.path.join(work, "results.txt")):
    img, tool, measured = line.rstrip("\n").split("\t")
    wall, user, sys_, rss = measured.split()
    rows.setdefault((img, tool), []).append((float(wall), float(user) + float(sys_), int(rss)))
print(f"load average at the end: {open('/proc/loadavg').read().split()[0:3]}")
print()
print("| image | files | tar MB | gzip MB | tool | median wall s | median CPU s (user+sys) | CPU x tar | wall x tar | peak RSS MB |")
print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
for spec in sizes:
    name = spec.split(":")[0]
    meta = json.load(open(os.path.join(work, f"img-{name}", "bench.json")))
    tar = rows[(name, "tar -tzf (each layer)")]
    tar_wall, tar_cpu = statistics.median(v[0] for v in tar), statistics.median(v[1] for v in tar)
    for (img, tool), vals in rows.items():
        if img != name: continue
        wall, cpu = statistics.median(v[0] for v in vals), statistics.median(v[1] for v in vals)
        print(f"| {name} | {meta['files']:,} | {meta['tarBytes'] / 1e6:.0f} | {meta['blobBytes'] / 1e6:.0f} | {tool} | {wall:.2f} | {cpu:.2f} | "
              f"{cpu / tar_cpu:.2f} | {wall / tar_wall:.2f} | {max(v[2] for v in vals) / 1024:.0f} |")
PY
