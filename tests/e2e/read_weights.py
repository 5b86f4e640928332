#!/usr/bin/python3
"""A numpy user reads the trainer's weights in a few lines, with no library of ours.
Usage: read_weights.py FILE; exits non-zero if the file is not what the README promises."""
import json
import struct
import sys

import numpy as np

with open(sys.argv[1], "rb") as f:
    (header_len,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(header_len))
    data = f.read()
meta = header.pop("__metadata__")
tensors = {name: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype="<f4")
           .reshape(e["shape"]) for name, e in header.items() if e["dtype"] == "F32"}

assert meta["model"] == "mnist_cnn", meta
assert tensors["conv2d/kernel"].shape == (3, 3, 1, 32)  # Keras's HWIO
assert tensors["conv2d_1/kernel"].shape == (3, 3, 32, 64)
assert tensors["dense/kernel"].shape == (9216, 128)  # Keras's (in, out)
assert tensors["dense_1/bias"].shape == (10,)
assert all(np.isfinite(t).all() for t in tensors.values())
print(f"read {len(tensors)} tensors of model {meta['model']}, epoch {meta['epoch']}")
