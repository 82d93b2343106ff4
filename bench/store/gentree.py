#!/usr/bin/env python3
"""Deterministic test trees for the store benchmark.

mixed DIR SIZE_MB : half incompressible (seeded random), half text-like, in files of 64 KB to
                    32 MB plus 2,000 small files, a few symlinks; the shape of a real rootfs.
small DIR COUNT   : COUNT files of 200 B to 2 KB in 100 directories (a node_modules-like tree).
"""
import os, random, sys

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (1_700_000_000, 1_700_000_000))

def text_block(rng, size):
    words = [b"layer", b"image", b"strata", b"config", b"digest", b"manifest", b"blob", b"tar", b"\n"]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words) + b" "
    return bytes(out[:size])

def mixed(root, size_mb):
    rng = random.Random(42)
    target = size_mb << 20
    total, i = 0, 0
    for j in range(2000):
        data = text_block(rng, rng.randint(100, 4000))
        write(os.path.join(root, "etc", f"d{j % 40}", f"conf{j}.txt"), data)
        total += len(data)
    while total < target:
        size = min(rng.choice([64 << 10, 1 << 20, 8 << 20, 32 << 20]), target - total)
        if i % 2 == 0:
            data = rng.randbytes(size)
        else:
            data = text_block(rng, size)
        write(os.path.join(root, "usr", f"lib{i % 8}", f"file{i}.bin"), data)
        total += size
        i += 1
    for k in range(20):
        os.symlink(f"../usr/lib{k % 8}", os.path.join(root, "etc", f"link{k}"))

def small(root, count):
    rng = random.Random(7)
    for j in range(count):
        write(os.path.join(root, "node_modules", f"pkg{j % 100}", f"f{j}.js"), text_block(rng, rng.randint(200, 2000)))

if __name__ == "__main__":
    kind, root, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    (mixed if kind == "mixed" else small)(root, n)
