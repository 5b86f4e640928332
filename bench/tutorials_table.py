#!/usr/bin/python3
"""The README's table of the tutorials' models, ours beside PyTorch's, from the finished runs
scripts/train_tutorials.sh leaves in RUNS/<model>/<impl>-seed<N>/ (ours: metrics.json;
PyTorch's: result.json). Test accuracy is the mean over the seeds run, with the sample
standard deviation and the count; time per epoch is the median over every epoch of every
seed. Usage: tutorials_table.py RUNS"""
import glob
import json
import os
import statistics
import sys

ORDER = ["mnist_cnn", "mnist_bn", "lenet5", "fashion_cnn", "fashion_aug", "cifar_deep", "cifar_cnn"]


def finished(runs, model, impl):
    """(test accuracy, epochs, [seconds of each epoch]) of each finished seed."""
    out = []
    for folder in sorted(glob.glob(os.path.join(runs, model, f"{impl}-seed*"))):
        if impl == "ours" and os.path.exists(os.path.join(folder, "metrics.json")):
            with open(os.path.join(folder, "metrics.json")) as f:
                m = json.load(f)
            out.append((m["test_accuracy"], len(m["epochs"]), [e["seconds"] for e in m["epochs"]]))
        elif impl == "pytorch" and os.path.exists(os.path.join(folder, "result.json")):
            with open(os.path.join(folder, "result.json")) as f:
                r = json.load(f)
            with open(os.path.join(folder, "train.log")) as f:
                epochs = [json.loads(line) for line in f if line.startswith('{"epoch"')]
            out.append((r["test_accuracy"], r["epochs"], [e["seconds"] for e in epochs]))
    return out


def accuracy(seeds):
    if not seeds:
        return "—"
    values = [100 * a for a, _, _ in seeds]
    spread = f" ± {statistics.stdev(values):.2f}" if len(values) > 1 else ""
    return f"{statistics.mean(values):.2f}%{spread} ({len(values)})"


def epochs(seeds):
    counts = sorted({e for _, e, _ in seeds})
    return "—" if not counts else ", ".join(map(str, counts))


def per_epoch(seeds):
    seconds = [s for _, _, each in seeds for s in each]
    if not seconds:
        return "—"
    t = statistics.median(seconds)
    return f"{t:.1f} s" if t < 60 else f"{int(t // 60)}:{int(t % 60):02d}"


def main():
    runs = sys.argv[1]
    print("| model | test accuracy, ours | PyTorch | epochs, ours | PyTorch "
          "| time per epoch, ours | PyTorch |")
    print("|---|---|---|---|---|---|---|")
    for model in ORDER:
        ours, torch = finished(runs, model, "ours"), finished(runs, model, "pytorch")
        if ours or torch:
            print(f"| {model} | {accuracy(ours)} | {accuracy(torch)} | {epochs(ours)} "
                  f"| {epochs(torch)} | {per_epoch(ours)} | {per_epoch(torch)} |")


main()
