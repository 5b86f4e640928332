#!/usr/bin/env bash
# The main job on a fresh machine: install, build, fetch MNIST, train mnist_cnn with the
# Keras example's settings (RMSprop, batch 128, validation split 0.2, 12 epochs) and
# evaluate it on the MNIST test set. Extra arguments go to `mnist_cnn train`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
bash scripts/fetch_mnist.sh data/mnist
mkdir -p runs
build/bin/mnist_cnn train --data data/mnist --epochs 12 --batch-size 128 --optimizer rmsprop \
  --validation-split 0.2 --seed 42 --save runs/mnist_cnn.safetensors \
  --metrics-json runs/mnist_cnn.json "$@"
