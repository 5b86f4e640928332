#!/usr/bin/python3
"""How far N processes part from one process with the same global batch, per optimizer:
mnist_cnn from the same initial weights, 1 process x batch 64 against N processes sharing
the batch, after 1, 5 and 16 steps; beside it, one process started from those weights moved
by one unit in the last place (zeros kept), which shows how far each optimizer carries a rounding
difference. Prints a Markdown table of the largest relative weight difference (over the
layers' tensors, relative to each tensor's largest magnitude).
Usage: bench/distributed_drift.py TRAINER MNIST_DIR [PROCESSES]"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np


def read(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    return header, data


def tensors(path):
    header, data = read(path)
    header.pop("__metadata__", None)
    return {k: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype="<f4")
            for k, e in header.items() if not k.startswith("optimizer/")}


def one_ulp_up(src, dst):
    header, data = read(src)
    values = np.frombuffer(data, dtype="<f4")
    # Zeros stay zeros: a bias of 1e-45 in place of 0 would turn ReLU's gradient on across
    # MNIST's black background, a change of another kind than rounding.
    moved = np.where(values != 0, np.nextafter(values, np.float32(np.inf)), values)
    moved = moved.astype("<f4").tobytes()
    header["__metadata__"]["crc32"] = f"{zlib.crc32(moved):08x}"
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + moved)


def difference(a, b):
    ta, tb = tensors(a), tensors(b)
    return max(float(np.abs(ta[k].astype(np.float64) - tb[k]).max()) /
               max(float(np.abs(tb[k]).max()), 1e-30) for k in tb)


def main():
    trainer, mnist = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "mini")
        subprocess.run(["/usr/bin/python3", os.path.join(here, "..", "tests", "e2e", "mnist_subset.py"),
                        mnist, data, "1024", "16"], check=True)
        common = ["train", "--data", data, "--threads", "1", "--seed", "7",
                  "--validation-split", "0", "--checkpoint", "", "--epochs", "100"]

        def train(out, *extra, processes=1):
            launcher = ["mpirun", "--oversubscribe", "-np", str(processes)] if processes > 1 else []
            subprocess.run(launcher + [trainer] + common + list(extra) + ["--save", out],
                           check=True, stdout=subprocess.DEVNULL, env=env)

        init = os.path.join(work, "init.safetensors")
        train(init, "--max-steps", "0", "--save-weights-only")
        nudged = os.path.join(work, "init_ulp.safetensors")
        one_ulp_up(init, nudged)
        print(f"| optimizer | steps | {n} processes vs 1 | 1 process, weights 1 ulp apart |")
        print("|---|---|---|---|")
        for optimizer in ("sgd", "rmsprop", "adam", "adadelta"):
            for steps in (1, 5, 16):
                run = ["--optimizer", optimizer, "--max-steps", str(steps)]
                paths = [os.path.join(work, f"{optimizer}_{steps}_{k}.safetensors") for k in range(3)]
                train(paths[0], "--initial-weights", init, "--batch-size", "64", *run)
                train(paths[1], "--initial-weights", init, "--global-batch-size", "64", *run,
                      processes=n)
                train(paths[2], "--initial-weights", nudged, "--batch-size", "64", *run)
                print(f"| {optimizer} | {steps} | {difference(paths[1], paths[0]):.2g} | "
                      f"{difference(paths[2], paths[0]):.2g} |", flush=True)


if __name__ == "__main__":
    main()
