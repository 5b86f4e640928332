#!/usr/bin/python3
"""Writes the first TRAIN training and TEST test samples of an MNIST directory as a new one,
so that end-to-end tests train whole epochs in a moment.
Usage: mnist_subset.py MNIST_DIR OUT_DIR TRAIN TEST"""
import os
import struct
import sys

src, out, n_train, n_test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out, exist_ok=True)
for prefix, n in (("train", n_train), ("t10k", n_test)):
    for kind, per_sample, header in (("images-idx3-ubyte", 784, 16), ("labels-idx1-ubyte", 1, 8)):
        with open(os.path.join(src, f"{prefix}-{kind}"), "rb") as f:
            head = bytearray(f.read(header))
            body = f.read(n * per_sample)
        struct.pack_into(">I", head, 4, n)
        with open(os.path.join(out, f"{prefix}-{kind}"), "wb") as f:
            f.write(head + body)
