#!/usr/bin/env bash
# Store benchmark (issue 2): import, save and load of a 1 GB mixed tree and of 100k small files,
# side by side with `tar -c | gzip -6`, `tar -c | pigz -6` and `skopeo copy`, in one run.
# Prints a markdown table of median wall seconds, MB/s of the tree and peak RSS.
# Usage: bench/store/run.sh [STRATA_BIN]   (RUNS=3 by default; MIXED_MB=1024, SMALL=100000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
strata=${1:-$here/../../artifacts/bin/strata}
runs=${RUNS:-3}
work=${BENCH_DIR:-/var/tmp/strata-bench-store}
mkdir -p "$work"
command -v skopeo >/dev/null && command -v pigz >/dev/null || { echo "needs skopeo and pigz (scripts/install-deps.sh)" >&2; exit 1; }

[ -d "$work/mixed" ] || python3 "$here/gentree.py" mixed "$work/mixed" "${MIXED_MB:-1024}"
[ -d "$work/small" ] || python3 "$here/gentree.py" small "$work/small" "${SMALL:-100000}"

measure() { # name workload command... -> appends "name workload seconds rss_kb"
  local name=$1 wl=$2; shift 2
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/err.out" || { cat "$work/err.out" >&2; exit 1; }
  printf '%s\t%s\t%s\n' "$name" "$wl" "$(cat "$work/time.out")" >> "$work/results.txt"
}

rm -f "$work/results.txt"
for wl in mixed small; do
  tree="$work/$wl"
  for r in $(seq "$runs"); do
    rm -rf "$work/store" "$work/store2" "$work/oci" "$work/out.tar" "$work/skopeo.tar"
    measure "tar|gzip-6" "$wl" sh -c "tar -C '$tree' -cf - . | gzip -6 > '$work/out.tgz'"
    measure "tar|pigz-6" "$wl" sh -c "tar -C '$tree' -cf - . | pigz -6 > '$work/out.tgz'"
    measure "strata import" "$wl" "$strata" --root "$work/store" import "$tree" bench:$wl
    measure "strata save" "$wl" "$strata" --root "$work/store" save -o "$work/out.tar" bench:$wl
    measure "strata load" "$wl" "$strata" --root "$work/store2" load -i "$work/out.tar"
    measure "skopeo copy oci->docker-archive" "$wl" skopeo copy -q "oci:$work/store:bench:$wl" "docker-archive:$work/skopeo.tar:bench:$wl"
    measure "skopeo copy docker-archive->oci" "$wl" skopeo copy -q "docker-archive:$work/skopeo.tar" "oci:$work/oci:bench"
  done
done

python3 - "$work/results.txt" "$work" <<'PY'
import collections, os, statistics, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    name, wl, measured = line.rstrip("\n").split("\t")
    sec, rss = measured.split()
    rows.setdefault((wl, name), []).append((float(sec), int(rss)))
def tree_mb(wl):
    total = 0
    for d, _, files in os.walk(os.path.join(sys.argv[2], wl)):
        for f in files:
            p = os.path.join(d, f)
            if not os.path.islink(p): total += os.path.getsize(p)
    return total / 1e6
sizes = {wl: tree_mb(wl) for wl, _ in rows}
print("| workload | operation | median s | min-max s | MB/s | peak RSS MB | x tar\\|gzip-6 |")
print("|---|---|---:|---:|---:|---:|---:|")
for (wl, name), vals in rows.items():
    secs = [v[0] for v in vals]; med = statistics.median(secs)
    base = statistics.median(v[0] for v in rows[(wl, "tar|gzip-6")])
    print(f"| {wl} ({sizes[wl]:.0f} MB) | {name} | {med:.2f} | {min(secs):.2f}-{max(secs):.2f} | {sizes[wl]/med:.0f} | {max(v[1] for v in vals)/1024:.0f} | {med/base:.2f} |")
PY
