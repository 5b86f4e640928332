#!/usr/bin/python3
"""Exits 0 when every tensor of two safetensors files agrees within TOL relative to the
tensor's largest magnitude (max |a - b| <= TOL * max |b|), 1 otherwise, naming the worst.
Usage: close_weights.py FILE_A FILE_B TOL [NAME_REGEX]  (only the tensors whose names match)"""
import json
import re
import struct
import sys

import numpy as np


def tensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    header.pop("__metadata__", None)
    return {name: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype="<f4")
            for name, e in header.items()}


def main():
    a, b, tol = tensors(sys.argv[1]), tensors(sys.argv[2]), float(sys.argv[3])
    if len(sys.argv) > 4:
        a = {k: v for k, v in a.items() if re.search(sys.argv[4], k)}
        b = {k: v for k, v in b.items() if re.search(sys.argv[4], k)}
        if not a:
            sys.exit(f"no tensor matches {sys.argv[4]}")
    if a.keys() != b.keys():
        sys.exit(f"different tensors: {sorted(a.keys() ^ b.keys())}")
    worst_name, worst = None, 0.0
    for name in sorted(a):
        scale = max(float(np.abs(b[name]).max(initial=0.0)), 1e-30)
        error = float(np.abs(a[name].astype(np.float64) - b[name]).max(initial=0.0)) / scale
        if error >= worst:
            worst_name, worst = name, error
    print(f"largest relative difference {worst:.3g} in {worst_name} ({len(a)} tensors)")
    sys.exit(0 if worst <= tol else 1)


if __name__ == "__main__":
    main()
