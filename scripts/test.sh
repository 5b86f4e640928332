#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, build (warnings as errors), fetch
# MNIST, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DCNN_WERROR=ON
bash scripts/fetch_mnist.sh data/mnist
cd build
ctest --output-on-failure -j "$(nproc)"
