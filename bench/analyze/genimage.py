#!/usr/bin/env python3
"""Writes an OCI image layout for the analyze benchmark (issue 13): FILES regular files spread over
4 gzip layers, TOTAL_MB of file content in all, reproducibly (fixed seeds, mtime 0, gzip mtime 0).

The layers make every waste path of `strata analyze` run, as a real image does:
  layer 0 "base"      70% of the files in nested directories (usr/share/pkgNNNN/dNN/...), plus an
                      apt list cache (var/lib/apt/lists) and one 8 MiB file (opt/big.bin)
  layer 1 "install"   20% more files; re-stores 2% of layer 0's files with new content
                      (overwritten-files), 1% with the same content and another mode
                      (metadata-copy-up), and opt/big.bin with one byte appended (big-file-copy-up)
  layer 2 "cleanup"   whiteouts: 3% of layer 0's and 1% of layer 1's files one by one, one whole
                      package directory (a deleted tree), the apt lists (an opaque directory)
  layer 3 "app"       the last 10% of the files and 1% overwrites of layer 1
File content is slices of a 4 MiB pool of words and a 4 MiB pool of random bytes (about half each),
so gzip shrinks the image as it shrinks real text and binaries, and generation stays fast: a
1,000,000-file image takes a few minutes. The tar streams are written, hashed (diff ID) and
compressed (gzip level 1) in one pass, never held in memory.
Usage: genimage.py DIR FILES TOTAL_MB"""
import hashlib, io, json, os, random, sys, tarfile, zlib

out, files, total_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
rng = random.Random(1307)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10))) for _ in range(2000)]
text_pool = b" ".join(rng.choice(words) + (b"\n" if rng.random() < 0.1 else b"") for _ in range(800_000))[: 4 << 20]
bin_pool = rng.randbytes(4 << 20)
big = 8 << 20
tar_bytes = [0]
avg = max(1, (total_mb * (1 << 20) - big) // files)


class LayerSink:
    """A write-only file object: the tar bytes are hashed (diff ID) and gzip-compressed to a temp file."""

    def __init__(self):
        self.path = os.path.join(blobs, "tmp-layer")
        self.file = open(self.path, "wb")
        self.diff = hashlib.sha256()
        self.blob = hashlib.sha256()
        self.size = 0
        self.raw = 0
        self.gz = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip wrapper; zlib writes mtime 0

    def write(self, data):
        self.diff.update(data)
        self.raw += len(data)
        self._out(self.gz.compress(data))
        return len(data)

    def _out(self, data):
        if data:
            self.blob.update(data)
            self.size += len(data)
            self.file.write(data)

    def close(self):
        self._out(self.gz.flush())
        self.file.close()
        digest = self.blob.hexdigest()
        os.replace(self.path, os.path.join(blobs, digest))
        tar_bytes[0] += self.raw
        return "sha256:" + digest, self.size, "sha256:" + self.diff.hexdigest()


class Layer:
    def __init__(self):
        self.sink = LayerSink()
        self.tar = tarfile.open(fileobj=self.sink, mode="w|", format=tarfile.PAX_FORMAT)
        self.dirs = set()

    def _dir(self, path):
        parent = os.path.dirname(path)
        if not parent or parent in self.dirs:
            return
        self._dir(parent)
        self.dirs.add(parent)
        info = tarfile.TarInfo(parent)
        info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 0
        self.tar.addfile(info)

    def file(self, path, data, mode=0o644):
        self._dir(path)
        info = tarfile.TarInfo(path)
        info.size, info.mode, info.mtime = len(data), mode, 0
        self.tar.addfile(info, io.BytesIO(data))

    def whiteout(self, path, opaque=False):
        target = os.path.join(path, ".wh..wh..opq") if opaque else os.path.join(os.path.dirname(path), ".wh." + os.path.basename(path))
        self.file(target, b"")

    def close(self):
        self.tar.close()
        return self.sink.close()


def content(i, salt=0):
    r = random.Random(i * 7919 + salt)
    size = min(r.randint(0, 2 * avg), (4 << 20) - 1)
    pool = text_pool if r.random() < 0.5 else bin_pool
    start = r.randrange(0, len(pool) - size) if size < len(pool) else 0
    return pool[start:start + size]


def path(i):
    return f"usr/share/pkg{i // 1000:04d}/d{i // 50 % 20:02d}/file-{i:07d}.dat"


n0, n1 = files * 70 // 100, files * 20 // 100
n3 = files - n0 - n1 - 2  # two more files: the big one and the apt list
pick = random.Random(42)
overwrite0 = sorted(pick.sample(range(n0), files * 2 // 100))
chmod0 = sorted(set(pick.sample(range(n0), files // 100)) - set(overwrite0))
gone_pkg = n0 // 1000 // 2  # the package directory layer 2 deletes whole
alive0 = [i for i in range(n0) if i // 1000 != gone_pkg]
delete0 = sorted(pick.sample(alive0, min(len(alive0), files * 3 // 100)))
delete1 = sorted(pick.sample(range(n0, n0 + n1), files // 100))
overwrite1 = sorted(set(pick.sample(range(n0, n0 + n1), files // 100)) - set(delete1))

layers = []
l = Layer()
for i in range(n0):
    l.file(path(i), content(i))
l.file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", text_pool[: 1 << 20])
big_data = bin_pool[: big // 2] + text_pool[: big // 2]
l.file("opt/big.bin", big_data)
layers.append(l.close())

l = Layer()
for i in range(n0, n0 + n1):
    l.file(path(i), content(i))
for i in overwrite0:
    l.file(path(i), content(i, salt=1))
for i in chmod0:
    l.file(path(i), content(i), mode=0o755)
l.file("opt/big.bin", big_data + b"\n")
layers.append(l.close())

l = Layer()
l.whiteout(f"usr/share/pkg{gone_pkg:04d}")
for i in delete0 + delete1:
    l.whiteout(path(i))
l.whiteout("var/lib/apt/lists", opaque=True)
layers.append(l.close())

l = Layer()
for i in range(n0 + n1, n0 + n1 + n3):
    l.file(path(i), content(i))
for i in overwrite1:
    l.file(path(i), content(i, salt=3))
layers.append(l.close())


def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


names = ["base", "install", "cleanup", "app"]
config = {
    "architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": [d for _, _, d in layers]},
    "history": [{"created_by": f"/bin/sh -c #(nop) {n} layer of the analyze benchmark"} for n in names],
}
config_digest, config_size = put(json.dumps(config, separators=(",", ":")).encode())
manifest = {
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": s} for d, s, _ in layers],
}
manifest_digest, manifest_size = put(json.dumps(manifest, separators=(",", ":")).encode())
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
               "size": manifest_size, "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}, f)
with open(os.path.join(out, "bench.json"), "w") as f:
    # What run.sh prints beside its table: regular files in the final image aside, the sizes read.
    json.dump({"files": files, "layers": len(layers), "tarBytes": tar_bytes[0], "blobBytes": sum(s for _, s, _ in layers),
               "layerDigests": [d for d, _, _ in layers]}, f)
print(manifest_digest)
