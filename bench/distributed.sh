#!/usr/bin/env bash
# Data-parallel training throughput of mnist_cnn on this machine: 1 and 2 processes under
# mpirun, 1 thread each, batch 128 per process, RMSprop, on MNIST; prints images per second,
# the speed-up, and the time each step spends in the gradient allreduce. As root, also 2
# processes on two hosts made of network namespaces, over Open MPI's TCP transport
# (scripts/two_hosts.sh: a veth pair, so the kernel's speed, not a network's).
# Usage: bench/distributed.sh [STEPS]   (default 100 global steps per run; BUILD=dir reuses a
# build directory)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
build=${BUILD:-build}
if [ -z "${BUILD:-}" ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target mnist_cnn >/dev/null
bash scripts/fetch_mnist.sh data/mnist >/dev/null
steps=${1:-100}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
source scripts/two_hosts.sh
trap 'two_hosts_down; rm -rf "$work"' EXIT
data=$(realpath data/mnist)
run=(train --data "$data" --threads 1 --batch-size 128 --max-steps "$steps" --validation-split 0
  --checkpoint "")
rate_of() { /usr/bin/python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["train_images_per_second"]))' "$1"; }
declare -A rate
for n in 1 2; do
  # --bind-to none: each rank's one thread may go to any free core, as a lone process's would.
  mpirun --bind-to none -np "$n" "$build/bin/mnist_cnn" "${run[@]}" \
    --metrics-json "$work/$n.json" >"$work/$n.log"
  rate[$n]=$(rate_of "$work/$n.json")
  echo "$n process(es) x 1 thread: ${rate[$n]} images/s ($steps steps of $((128 * n)) images)"
  grep "Gradient allreduce" "$work/$n.log" || true
done
/usr/bin/python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print(f"2 processes / 1: {b / a:.2f}x")' "${rate[1]}" "${rate[2]}"
if two_hosts_up "$work"; then
  over_tcp --bind-to none "$(realpath "$build/bin/mnist_cnn")" "${run[@]}" \
    --metrics-json "$work/tcp.json" >"$work/tcp.log"
  rate[tcp]=$(rate_of "$work/tcp.json")
  echo "2 hosts (network namespaces, TCP over a veth pair) x 1 thread: ${rate[tcp]} images/s"
  grep "Gradient allreduce" "$work/tcp.log" || true
else
  echo "(two hosts over TCP: skipped, needs root and iproute2)"
fi
echo "on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
