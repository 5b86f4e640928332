#!/usr/bin/env bash
# Ours against PyTorch on this machine, in one run: builds the bench targets, then for
# mnist_cnn (RMSprop) and cifar_deep (Adam) at 1 and 2 threads and vgg16_cifar (Adam) at 2,
# batch 128, runs ours and PyTorch (NCHW and channels_last, OpenBLAS) over an epoch's worth
# of training steps (five runs: median and spread), inference at batch 128, batch-1 latency
# and peak memory; then the FMA peak and the sgemm ceiling, and a sweep of the batch size
# (16 to 512, 2 threads) for the first two.
# Prints one table with the ratios; writes the raw results and the sweep's plots to
# runs/bench/.
# Usage: bench/compare_pytorch.sh [--quick]   (--quick: a tenth of the steps)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target mnist_cnn_throughput cifar_deep_throughput vgg16_cifar_throughput \
  fma_peak >/dev/null
scale=1
[ "${1:-}" = "--quick" ] && scale=10
out=runs/bench
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
declare -A optimizer=([mnist_cnn]=rmsprop [cifar_deep]=adam [vgg16_cifar]=adam)
# An epoch's steps: 80% of 60,000 or 50,000 images / 128; VGG16, 100 times the work, fewer.
declare -A epoch_steps=([mnist_cnn]=375 [cifar_deep]=313 [vgg16_cifar]=25)
run_both() {  # model threads batch steps
  local m=$1 t=$2 b=$3 s=$4
  "build/bin/${m}_throughput" "$t" "$b" "$s" "${optimizer[$m]}" >>"$results"
  for layout in nchw channels_last; do
    /usr/bin/python3 bench/pytorch_models.py "$m" "$t" "$b" "$s" "$layout" "${optimizer[$m]}" >>"$results"
  done
}
for m in mnist_cnn cifar_deep; do
  for t in 1 2; do
    echo "measuring $m, $t thread(s)..." >&2
    run_both "$m" "$t" 128 $(( ${epoch_steps[$m]} / scale ))
  done
done
echo "measuring vgg16_cifar, 2 threads..." >&2
run_both vgg16_cifar 2 128 $(( ${epoch_steps[vgg16_cifar]} / scale > 5 ? ${epoch_steps[vgg16_cifar]} / scale : 5 ))
for t in 1 2; do
  /usr/bin/python3 bench/pytorch_models.py sgemm "$t" >>"$results"
  build/bin/fma_peak "$t" >>"$results"
done
for m in mnist_cnn cifar_deep; do
  echo "sweeping the batch size for $m..." >&2
  for b in 16 32 64 128 256 512; do
    echo "{\"sweep\": true}" >>"$results"
    run_both "$m" 2 "$b" $(( (16384 / b > 10 ? 16384 / b : 10) / scale + 5 ))
  done
done
/usr/bin/python3 bench/report.py "$results" "$out"
