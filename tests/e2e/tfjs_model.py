#!/usr/bin/python3
"""Writes a trainer's weights as a TensorFlow.js layers model, as tensorflowjs' converter
does (tfjs.converters.save_keras_model): DIR/model.json with a weights manifest naming each
weight `<layer>/<weight>`, and binary shards of at most SHARD bytes (the converter's 4 MB by
default), optionally quantized (uint8, uint16: affine, value = q * scale + min; float16).
Beside them, DIR/decoded.safetensors holds the values TF.js decodes from the files, to
compare what a trainer loads with.

Usage: tfjs_model.py OURS.safetensors DIR [--quantize uint8|uint16|float16] [--shard-bytes N]"""
import argparse
import json
import os
import struct

import numpy as np


def read_ours(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    return {name: np.frombuffer(data[t["data_offsets"][0]:t["data_offsets"][1]], "<f4").reshape(t["shape"])
            for name, t in header.items()
            if name != "__metadata__" and not name.startswith(("optimizer/", "callbacks/"))}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, "<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def quantize(a, dtype):
    """tensorflowjs' affine quantization: the range [min, max] over 2^bits - 1 steps."""
    if dtype == "float16":
        q = a.astype("<f2")
        return q.tobytes(), {"dtype": "float16"}, q.astype(np.float32)
    levels = 255 if dtype == "uint8" else 65535
    lo, hi = float(a.min()), float(a.max())
    scale = (hi - lo) / levels if hi > lo else 1.0
    q = np.round((a - lo) / scale).astype("<u1" if dtype == "uint8" else "<u2")
    decoded = (q.astype(np.float64) * scale + lo).astype(np.float32)
    return q.tobytes(), {"dtype": dtype, "scale": scale, "min": lo}, decoded


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ours")
    p.add_argument("dir")
    p.add_argument("--quantize", choices=["uint8", "uint16", "float16"])
    p.add_argument("--shard-bytes", type=int, default=4 * 1024 * 1024)
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    weights, data, decoded = [], b"", {}
    for name, a in read_ours(args.ours).items():
        entry = {"name": name, "shape": list(a.shape), "dtype": "float32"}
        if args.quantize:
            b, entry["quantization"], decoded[name] = quantize(a, args.quantize)
        else:
            b, decoded[name] = a.astype("<f4").tobytes(), a
        weights.append(entry)
        data += b
    paths = []
    for i in range(0, max(len(data), 1), args.shard_bytes):
        paths.append(f"group1-shard{len(paths) + 1}.bin")
        with open(os.path.join(args.dir, paths[-1]), "wb") as f:
            f.write(data[i:i + args.shard_bytes])
    model = {"format": "layers-model", "generatedBy": "keras v2.2.4",
             "convertedBy": "tests/e2e/tfjs_model.py",
             "modelTopology": {"keras_version": "2.2.4", "backend": "tensorflow"},
             "weightsManifest": [{"paths": paths, "weights": weights}]}
    with open(os.path.join(args.dir, "model.json"), "w") as f:
        json.dump(model, f)
    write_safetensors(os.path.join(args.dir, "decoded.safetensors"), decoded)


if __name__ == "__main__":
    main()
