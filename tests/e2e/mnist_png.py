#!/usr/bin/python3
"""Writes MNIST test image N as a grey PNG, each pixel repeated SCALE x SCALE times (a
bilinear resize back to 28x28 gives the very pixels again).
Usage: mnist_png.py MNIST_DIR N SCALE OUT.png"""
import gzip
import os
import struct
import sys
import zlib

directory, index, scale, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
path = os.path.join(directory, "t10k-images-idx3-ubyte")
raw = open(path, "rb").read() if os.path.exists(path) else gzip.open(path + ".gz").read()
rows, cols = struct.unpack(">II", raw[8:16])
start = 16 + index * rows * cols
pixels = raw[start:start + rows * cols]
lines = b"".join(
    b"\0" + bytes(pixels[y * cols + x] for x in range(cols) for _ in range(scale))
    for y in range(rows) for _ in range(scale))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


with open(out, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n")
    f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", cols * scale, rows * scale, 8, 0, 0, 0, 0)))
    f.write(chunk(b"IDAT", zlib.compress(lines)))
    f.write(chunk(b"IEND", b""))
