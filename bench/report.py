#!/usr/bin/python3
"""Reads compare_pytorch.sh's results (JSON lines) and prints the comparison table, the
ratios to PyTorch's faster setup, the fractions of the FMA peak (fma_peak) and of the sgemm
ceiling, and the 2-thread scaling; draws training throughput against batch size with gnuplot.
Usage: report.py RESULTS.jsonl OUT_DIR"""
import json
import subprocess
import sys

rows, sweep, in_sweep = [], [], False
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    r = json.loads(line)
    if r.get("sweep"):
        in_sweep = True
        continue
    (sweep if in_sweep else rows).append(r)
out = sys.argv[2]
sgemm = {r["threads"]: r["gflops"] for r in rows if r["impl"] == "sgemm"}
peak = {r["threads"]: r["gflops"] for r in rows if r["impl"] == "fma_peak"}
runs = [r for r in rows if r["impl"] not in ("sgemm", "fma_peak")]

cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
            if line.startswith("model name")), "unknown CPU")
print(f"Measured on {cpu}\n")
print(f"{'model':<11}{'impl':<23}{'thr':>4}{'train img/s':>12}{'±':>6}{'infer img/s':>12}"
      f"{'batch-1 ms':>11}{'peak MB':>9}")
for r in runs:
    print(f"{r['model']:<11}{r['impl']:<23}{r['threads']:>4}{r['train_images_per_second']:>12.0f}"
          f"{r['train_spread']:>6.2f}{r['infer_images_per_second']:>12.0f}{r['latency_ms']:>11.3f}"
          f"{r['peak_rss_mb']:>9.0f}")
print()
for model in sorted({r["model"] for r in runs}):
    for t in sorted({r["threads"] for r in runs if r["model"] == model}):
        ours = next(r for r in runs if r["model"] == model and r["impl"] == "ours" and r["threads"] == t)
        peers = [r for r in runs if r["model"] == model and r["impl"] != "ours" and r["threads"] == t]
        best = max(peers, key=lambda r: r["train_images_per_second"])
        best_infer = max(r["infer_images_per_second"] for r in peers)
        best_latency = min(r["latency_ms"] for r in peers)
        least_rss = min(r["peak_rss_mb"] for r in peers)
        gflops = ours["train_images_per_second"] * ours["train_flop_per_image"] / 1e9
        infer_gflops = ours["infer_images_per_second"] * ours["infer_flop_per_image"] / 1e9
        print(f"{model}, {t} thread(s): training {ours['train_images_per_second'] / best['train_images_per_second']:.2f}x "
              f"({best['impl']}), inference {ours['infer_images_per_second'] / best_infer:.2f}x, "
              f"batch-1 latency {best_latency / ours['latency_ms']:.2f}x faster, "
              f"peak memory {ours['peak_rss_mb'] / least_rss:.2f} of PyTorch's; "
              f"training at {gflops:.0f} GFLOP/s = {100 * gflops / peak[t]:.0f}% of the FMA peak "
              f"({peak[t]:.0f}, {ours['cpu_variant']} kernels) and {100 * gflops / sgemm[t]:.0f}% "
              f"of sgemm's {sgemm[t]:.0f}; inference at {infer_gflops:.0f} GFLOP/s = "
              f"{100 * infer_gflops / peak[t]:.0f}% of the peak")
    one = next((r for r in runs if r["model"] == model and r["impl"] == "ours" and r["threads"] == 1), None)
    two = next((r for r in runs if r["model"] == model and r["impl"] == "ours" and r["threads"] == 2), None)
    if one and two:
        print(f"{model}: 2 threads give {two['train_images_per_second'] / one['train_images_per_second']:.2f}x "
              f"the training throughput of 1")

for model in sorted({r["model"] for r in sweep}):
    impls = sorted({r["impl"] for r in sweep if r["model"] == model})
    script = ["set terminal pngcairo size 800,500 font 'sans,10'",
              f"set output '{out}/batch_sweep_{model}.png'",
              f"set title '{model}: training throughput against batch size (2 threads)'",
              "set xlabel 'batch size'", "set ylabel 'training images per second'",
              "set logscale x 2", "set grid", "set key top left"]
    plots = []
    for impl in impls:
        pts = sorted((r["batch"], r["train_images_per_second"]) for r in sweep
                     if r["model"] == model and r["impl"] == impl)
        script.append(f"${impl.replace('-', '_')} << EOD")
        script += [f"{b} {v}" for b, v in pts]
        script.append("EOD")
        plots.append(f"${impl.replace('-', '_')} using 1:2 with linespoints lw 2 title '{impl}'")
    script.append("plot " + ", ".join(plots))
    subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, check=True)
    print(f"wrote {out}/batch_sweep_{model}.png")
