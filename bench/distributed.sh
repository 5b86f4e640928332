#!/usr/bin/env bash
# Data-parallel training throughput of mnist_cnn on this machine: 1 and 2 processes under
# mpirun, 1 thread each, batch 128 per process, RMSprop, on MNIST; prints images per second,
# the speed-up, and the time each step spends in the gradient allreduce.
# Usage: bench/distributed.sh [STEPS]   (default 100 global steps per run)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target mnist_cnn >/dev/null
bash scripts/fetch_mnist.sh data/mnist >/dev/null
steps=${1:-100}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A rate
for n in 1 2; do
  # --bind-to none: each rank's one thread may go to any free core, as a lone process's would.
  mpirun --bind-to none -np "$n" build/bin/mnist_cnn train --data data/mnist --threads 1 \
    --batch-size 128 --max-steps "$steps" --validation-split 0 --checkpoint "" \
    --metrics-json "$work/$n.json" >"$work/$n.log"
  rate[$n]=$(/usr/bin/python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["train_images_per_second"]))' "$work/$n.json")
  echo "$n process(es) x 1 thread: ${rate[$n]} images/s ($steps steps of $((128 * n)) images)"
  grep "Gradient allreduce" "$work/$n.log" || true
done
/usr/bin/python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print(f"2 processes / 1: {b / a:.2f}x")' "${rate[1]}" "${rate[2]}"
echo "on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
