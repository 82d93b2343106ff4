#!/usr/bin/env python3
"""Writes an OCI image layout of LAYERS gzip layers, TOTAL_MB of data in all, for the registry
benchmark. Each layer is a tar of one file of pseudo-random bytes from a fixed seed, so the
image is the same bytes on every machine and gzip cannot shrink it (what a registry moves is
what was generated). Usage: genimage.py DIR [TOTAL_MB=500] [LAYERS=10]"""
import gzip, hashlib, io, json, os, random, sys, tarfile

out = sys.argv[1]
total_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 500
layers = int(sys.argv[3]) if len(sys.argv) > 3 else 10
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)

def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)

rng = random.Random(20261207)
per_layer = total_mb * 1024 * 1024 // layers
descriptors, diff_ids = [], []
for i in range(layers):
    payload = rng.randbytes(per_layer)
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(f"data/layer-{i:02d}.bin")
        info.size, info.mtime, info.mode = len(payload), 0, 0o644
        tar.addfile(info, io.BytesIO(payload))
    raw = tar_bytes.getvalue()
    diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    # Level 1 and mtime 0: quick to make, byte-identical on every run.
    digest, size = put(gzip.compress(raw, compresslevel=1, mtime=0))
    descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})

config = {
    "architecture": "amd64", "os": "linux",
    "config": {"Cmd": ["/bin/sh"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created_by": f"layer {i}"} for i in range(layers)],
}
config_digest, config_size = put(json.dumps(config, separators=(",", ":")).encode())
manifest = {
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
    "layers": descriptors,
}
manifest_digest, manifest_size = put(json.dumps(manifest, separators=(",", ":")).encode())
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
               "size": manifest_size, "annotations": {"org.opencontainers.image.ref.name": "bench"}}]}, f)
print(manifest_digest)
