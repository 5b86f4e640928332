#!/usr/bin/env bash
# Keras's applications, ours beside torchvision's in PyTorch 1.13 on this machine, in one run
# (issue 18's comparison): the InceptionV3 fine-tuning step (first 213 layers frozen, batch
# 32, 299x299; PyTorch frozen through Mixed_6d and through Mixed_6e, which bracket Keras's
# 213), the CIFAR-10 transfer step (VGG16's base frozen, batch 128, 32x32), ResNet50 training
# at 224 (batch 32), and inference at batch 32: VGG16 and ResNet50 at 224, InceptionV3 at 299.
# Random weights and synthetic images, Adam, the same thread count; PyTorch in NCHW and
# channels_last (the better one counts). Then the CPU's name and its FMA peak, and one table.
# Builds in build-apps/ (kernels for this CPU alone; the generators take about 25 minutes of
# CPU the first time), or in the build directory BUILD names. Writes
# runs/bench/applications.jsonl.
# Usage: [BUILD=dir] bench/compare_applications.sh [THREADS] [--quick]   (--quick: 5 steps)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
quick=0
[ "${2:-}" = "--quick" ] && quick=1
bash scripts/setup.sh >/dev/null
build=${BUILD:-build-apps}
[ -n "${BUILD:-}" ] || cmake -S . -B build-apps -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCNN_CPU_TARGETS=host -DCNN_BUILD_TESTS=OFF >/dev/null
models=(inception_v3_finetune vgg16_transfer resnet50_imagenet vgg16 inception_v3_imagenet)
cmake --build "$build" --target "${models[@]/%/_throughput}" fma_peak >/dev/null
out=runs/bench
mkdir -p "$out"
results="$out/applications.jsonl"
: >"$results"
steps() { [ "$quick" = 1 ] && echo 5 || echo "$1"; }

ours() {  # model mode batch steps
  echo "ours: $1 $2, batch $3..." >&2
  "$build/bin/$1_throughput" "$threads" "$3" "$4" adam "$2" >>"$results"
}
theirs() {  # model mode batch steps [frozen]
  for layout in nchw channels_last; do
    echo "PyTorch: $1 $2, batch $3, $layout ${5:-}..." >&2
    /usr/bin/python3 bench/pytorch_applications.py "$1" "$2" "$threads" "$3" "$4" "$layout" \
      ${5:+"$5"} >>"$results"
  done
}
ours inception_v3_finetune train-only 32 "$(steps 10)"
theirs inception_v3_finetune train 32 "$(steps 10)" Mixed_6d
theirs inception_v3_finetune train 32 "$(steps 10)" Mixed_6e
ours vgg16_transfer train-only 128 "$(steps 25)"
theirs vgg16_transfer train 128 "$(steps 25)"
ours resnet50_imagenet train-only 32 "$(steps 10)"
theirs resnet50 train 32 "$(steps 10)"
ours vgg16 infer-only 32 "$(steps 10)"
theirs vgg16 infer 32 "$(steps 10)"
ours resnet50_imagenet infer-only 32 "$(steps 10)"
theirs resnet50 infer 32 "$(steps 10)"
ours inception_v3_imagenet infer-only 32 "$(steps 10)"
theirs inception_v3 infer 32 "$(steps 10)"
"$build/bin/fma_peak" "$threads" >>"$results"

/usr/bin/python3 - "$results" "$threads" <<'EOF'
import json, subprocess, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(
    ["lscpu"], capture_output=True, text=True).stdout.splitlines()
    if l.startswith("Model name")), "unknown CPU")
peak = next((r for r in rows if r.get("impl") == "fma_peak"), {})
print(f"{cpu}, {sys.argv[2]} threads; FMA peak in this run: {json.dumps(peak)}")
# (our model, PyTorch's model, mode, PyTorch's frozen_through or None)
pairs = [("inception_v3_finetune", "inception_v3_finetune", "train", "Mixed_6d"),
         ("inception_v3_finetune", "inception_v3_finetune", "train", "Mixed_6e"),
         ("vgg16_transfer", "vgg16_transfer", "train", None),
         ("resnet50", "resnet50", "train", None),
         ("vgg16", "vgg16", "infer", None),
         ("resnet50", "resnet50", "infer", None),
         ("inception_v3", "inception_v3", "infer", None)]
key = {"train": "train_images_per_second", "infer": "infer_images_per_second"}
print("| model | pass | batch | ours img/s | PyTorch img/s (best layout) | ratio | peak MB ours / PyTorch |")
print("|---|---|---|---|---|---|---|")
for mine, theirs_name, mode, frozen in pairs:
    o = [r for r in rows if r.get("impl") == "ours" and r["model"] == mine
         and r.get(key[mode]) is not None]
    t = [r for r in rows if r.get("impl") == "pytorch" and r["model"] == theirs_name
         and r["mode"] == mode and (frozen is None or r.get("frozen_through") == frozen)]
    if not o or not t:
        continue
    best = max(t, key=lambda r: r[key[mode]])
    label = mine + (f" (PyTorch frozen through {frozen})" if frozen else "")
    print(f"| {label} | {mode} | {o[0]['batch']} | {o[0][key[mode]]:.2f} | "
          f"{best[key[mode]]:.2f} ({best['layout']}) | {o[0][key[mode]] / best[key[mode]]:.2f}x | "
          f"{o[0]['peak_rss_mb']:,.0f} / {best['peak_rss_mb']:,.0f} |")
EOF
