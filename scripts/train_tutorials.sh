#!/usr/bin/env bash
# Trains the tutorials' models with their recipes on their data sets, and evaluates each:
#   scripts/train_tutorials.sh [MODEL...]   (default: all of them; builds and fetches first)
# Each run writes runs/<model>/: train.log, metrics.json, model.safetensors, history/
# (CSV, JSON, loss and accuracy curves) and report/ (confusion matrix, classification
# report, prediction grid, probabilities), and evaluate.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(mnist_cnn mnist_bn lenet5 fashion_cnn fashion_aug cifar_deep cifar_cnn)
[ -x "$root/build/bin/mnist_cnn" ] || bash "$root/scripts/build.sh"
data_of() {
  case $1 in
    mnist_cnn|mnist_bn|lenet5) bash "$root/scripts/fetch_mnist.sh" "$root/data/mnist" >&2; echo "$root/data/mnist" ;;
    fashion_*) echo /usr/share/datasets/fashion-mnist ;;
    cifar_*) bash "$root/scripts/fetch_cifar10.sh" "$root/data/cifar10-jpeg" >&2; echo "$root/data/cifar10-jpeg" ;;
    *) echo "unknown model $1" >&2; exit 2 ;;
  esac
}
for model in "${models[@]}"; do
  data=$(data_of "$model")
  run="$root/runs/$model"
  mkdir -p "$run"
  cd "$run"
  echo "== $model on $data"
  /usr/bin/time -v "$root/build/bin/$model" train --data "$data" --save model.safetensors \
    --metrics-json metrics.json --history-dir history 2> time.log | tee train.log | grep -v '^ *[0-9]*/[0-9]* \['
  "$root/build/bin/$model" evaluate --data "$data" --weights model.safetensors --report-dir report \
    > evaluate.log
  grep -E "Test loss|accuracy  " evaluate.log
  grep -E "Elapsed|Maximum resident" time.log
done
