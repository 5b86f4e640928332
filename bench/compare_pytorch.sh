#!/usr/bin/env bash
# Builds the bench target and runs ours and PyTorch's mnist_cnn side by side, in this one
# run, at the given thread counts (default: 1 and 2), batch 128; prints a table with the
# ratios. Usage: bench/compare_pytorch.sh [threads...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target mnist_cnn_throughput >/dev/null
threads=("${@:-1 2}")
results=$(mktemp)
for t in ${threads[@]}; do
  build/bin/mnist_cnn_throughput "$t" 128 60 >>"$results"
  for layout in nchw channels_last; do
    /usr/bin/python3 bench/pytorch_mnist_cnn.py "$t" 128 60 "$layout" >>"$results"
  done
done
python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"{'impl':<22}{'threads':>8}{'train img/s':>13}{'spread':>8}{'infer img/s':>13}{'batch-1 ms':>12}")
for r in rows:
    print(f"{r['impl']:<22}{r['threads']:>8}{r['train_images_per_second']:>13.0f}{r['train_spread']:>8.2f}"
          f"{r['infer_images_per_second']:>13.0f}{r['latency_ms']:>12.3f}")
print()
for t in sorted({r['threads'] for r in rows}):
    ours = next(r for r in rows if r['impl'] == 'ours' and r['threads'] == t)
    for r in rows:
        if r['threads'] == t and r['impl'] != 'ours':
            print(f"threads {t}: ours / {r['impl']}: training {ours['train_images_per_second'] / r['train_images_per_second']:.2f}x, "
                  f"inference {ours['infer_images_per_second'] / r['infer_images_per_second']:.2f}x, "
                  f"batch-1 latency {r['latency_ms'] / ours['latency_ms']:.2f}x")
PY
