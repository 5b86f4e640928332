#!/usr/bin/python3
"""Our training step beside oneDNN's kernels, layer by layer and pass by pass (forward,
backward-data, backward-weights of each Conv2D and Dense layer), in one run on this machine:
runs NAME_throughput_profile (our kernels under Halide's profiler, which times each Func of
the step) and NAME_onednn (bench/compare_onednn.cpp) at the same batch and threads, and
prints a Markdown table. Our Funcs are assigned to a layer's pass by their names; what no
pass owns (activation gradients, pooling, the loss, copies into the flat gradients) is
summed under "the rest", which oneDNN's figures leave out.
Usage: layer_table.py BUILD_DIR MODEL THREADS [RUNS]
(BUILD_DIR configured with -DCNN_BENCH_PROFILE=ON, the targets MODEL_throughput_profile
and MODEL_onednn built.)"""
import json
import os
import re
import subprocess
import sys

PASS_OF_PREFIX = [  # the first word of a Func's name after its layer's
    ("d_input", "backward_data"), ("kernel_t", "backward_data"),
    ("d_kernel", "backward_weights"), ("d_bias", "backward_weights"),
    ("d_logits", None), ("softmax_dot", None),
]


def our_passes(build, model, threads, layers):
    out = subprocess.run([os.path.join(build, "bin", f"{model}_throughput_profile"), str(threads)],
                         capture_output=True, text=True, check=True).stdout
    step = out[out.index(f"{model}_train_step_profile"):]
    per_run = float(re.search(r"time/run: ([0-9.]+) ms", step).group(1))
    times = {}
    for name, ms in re.findall(r"^\s+(\S+):\s+([0-9.]+)ms", step, re.M):
        key = ("the rest", "")
        for layer in sorted(layers, key=len, reverse=True):
            if name.startswith(layer + "_"):
                rest = name[len(layer) + 1:]
                kind = next((p for prefix, p in PASS_OF_PREFIX if rest.startswith(prefix)),
                            "forward")
                if kind:
                    key = (layer, kind)
                break
        times[key] = times.get(key, 0.0) + float(ms)
    summary = json.loads(out.strip().splitlines()[-1])
    return times, per_run, summary


def onednn_passes(build, model, threads, runs):
    out = subprocess.run([os.path.join(build, "bin", f"{model}_onednn"), str(threads), "128",
                          str(runs)], capture_output=True, text=True, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    passes = {}
    for r in rows:
        if r["layer"] == "step":
            continue
        passes.setdefault((r["layer"], r["pass"]), {})[r["algorithm"]] = (r["ms"], r["gflops"])
    return passes


def main():
    build, model, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    theirs = onednn_passes(build, model, threads, runs)
    layers = {layer for layer, _ in theirs}
    ours, per_run, summary = our_passes(build, model, threads, layers)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "unknown CPU")
    print(f"{model}, batch 128, {threads} thread(s), on {cpu}: our step {per_run:.1f} ms "
          f"under the profiler ({summary['train_images_per_second']:.0f} img/s unprofiled)\n")
    print("| layer | pass | ours ms | GFLOP/s | oneDNN direct ms | Winograd ms | ours / best |")
    print("|---|---|---|---|---|---|---|")
    best_sum = ours_sum = 0.0
    for (layer, kind), algorithms in theirs.items():
        mine = ours.get((layer, kind), 0.0)
        direct = algorithms.get("direct") or algorithms.get("gemm")
        winograd = algorithms.get("winograd")
        best = min(ms for ms, _ in algorithms.values())
        gflops = direct[1] * direct[0] / mine if mine > 0 else float("nan")
        best_sum += best
        ours_sum += mine
        print(f"| {layer} | {kind.replace('_', '-')} | {mine:.2f} | {gflops:.0f} "
              f"| {direct[0]:.2f} | {f'{winograd[0]:.2f}' if winograd else '—'} "
              f"| {mine / best:.2f} |")
    rest = ours.get(("the rest", ""), 0.0)
    print(f"| all passes | | {ours_sum:.2f} | | | {best_sum:.2f} (best of each) "
          f"| {ours_sum / best_sum:.2f} |")
    print(f"| the rest | | {rest:.2f} | | | | |")


if __name__ == "__main__":
    main()
