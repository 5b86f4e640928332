#!/usr/bin/python3
"""Exits 0 when two whole-model files hold the same training state: every tensor bit for bit
(weights, optimizer slots, callbacks' tensors) and every metadata field, the history's
included, where only the wall-clock fields (seconds, images_per_second) may differ; 1
otherwise, naming what differs.
Usage: same_state.py FILE_A FILE_B"""
import json
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    if "history" in metadata:
        history = json.loads(metadata["history"])
        for epoch in history:
            epoch.pop("seconds", None)
            epoch.pop("images_per_second", None)
        metadata["history"] = history
    tensors = {k: data[e["data_offsets"][0]:e["data_offsets"][1]] for k, e in header.items()}
    return metadata, tensors


def main():
    (meta_a, a), (meta_b, b) = read(sys.argv[1]), read(sys.argv[2])
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    differ += sorted(f"metadata {k}" for k in meta_a.keys() | meta_b.keys()
                     if meta_a.get(k) != meta_b.get(k))
    if "history" not in meta_a:
        differ.append("metadata history (missing)")
    if differ:
        sys.exit("differ: " + ", ".join(differ))
    print(f"the same state: {len(a)} tensors, {len(meta_a['history'])} epochs of history")


main()
