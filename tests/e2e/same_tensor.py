#!/usr/bin/python3
"""Exits 0 when tensor NAME is bit-identical in two safetensors files, 1 otherwise.
Usage: same_tensor.py FILE_A FILE_B NAME"""
import json
import struct
import sys


def tensor(path, name):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        entry = json.loads(f.read(n))[name]
        f.seek(8 + n + entry["data_offsets"][0])
        return f.read(entry["data_offsets"][1] - entry["data_offsets"][0])


sys.exit(0 if tensor(sys.argv[1], sys.argv[3]) == tensor(sys.argv[2], sys.argv[3]) else 1)
