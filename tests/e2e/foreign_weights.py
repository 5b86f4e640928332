#!/usr/bin/python3
"""Rewrites a trainer's weights as another tool would write them: numpy's safetensors, the
same tensor names and shapes, kernels as float64 and biases as float16, no metadata.
Usage: foreign_weights.py OURS OUT"""
import json
import struct
import sys

import numpy as np

with open(sys.argv[1], "rb") as f:
    (n,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(n))
    data = f.read()
header.pop("__metadata__")
out_header, chunks, offset = {}, [], 0
for name, e in sorted(header.items()):
    if "/" not in name or name.startswith(("optimizer/", "callbacks/")):
        continue
    values = np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype="<f4")
    dtype, values = ("F16", values.astype("<f2")) if name.endswith("/bias") else ("F64", values.astype("<f8"))
    raw = values.tobytes()
    out_header[name] = {"dtype": dtype, "shape": e["shape"], "data_offsets": [offset, offset + len(raw)]}
    chunks.append(raw)
    offset += len(raw)
text = json.dumps(out_header).encode()
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
