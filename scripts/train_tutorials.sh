#!/usr/bin/env bash
# Trains the tutorials' models with their recipes, ours and the same model and recipe in
# PyTorch, on the same data and thread count, and writes the README's table:
#   scripts/train_tutorials.sh [MODEL...]   (default: all seven; builds and fetches first)
# Environment: SEEDS (default "42 1 2"; a run that takes over 10 minutes is done with the
# first seed only), IMPLS (default "ours pytorch"), THREADS (default 2).
# Each run writes runs/<model>/<impl>-seed<N>/. Ours: train.log, metrics.json,
# model.safetensors, history/ (CSV, JSON, curves), report/ (confusion matrix, classification
# report, prediction grid) and evaluate.log; PyTorch's: train.log and result.json.
# A run that finished is not repeated; one that was interrupted (Ctrl-C, SIGTERM) is resumed
# where it stopped. runs/tutorials.md is the table, from every finished run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(mnist_cnn mnist_bn lenet5 fashion_cnn cifar_deep cifar_cnn fashion_aug)
read -r -a seeds <<< "${SEEDS:-42 1 2}"
read -r -a impls <<< "${IMPLS:-ours pytorch}"
threads=${THREADS:-2}
[ -x "$root/build/bin/mnist_cnn" ] || bash "$root/scripts/build.sh"
data_of() {
  case $1 in
    mnist_cnn|mnist_bn|lenet5) bash "$root/scripts/fetch_mnist.sh" "$root/data/mnist" >&2; echo "$root/data/mnist" ;;
    fashion_*) echo /usr/share/datasets/fashion-mnist ;;
    cifar_*) bash "$root/scripts/fetch_cifar10.sh" "$root/data/cifar10-jpeg" >&2; echo "$root/data/cifar10-jpeg" ;;
    *) echo "unknown model $1" >&2; exit 2 ;;
  esac
}

# One run in the current folder; true when it finished.
run_ours() {  # model data seed
  local resume=()
  [ -f model.safetensors ] && resume=(--resume model.safetensors)
  "$root/build/bin/$1" train --data "$2" --seed "$3" --threads "$threads" \
    --save model.safetensors --metrics-json metrics.json --history-dir history "${resume[@]}" \
    2>&1 | tee -a train.log | grep --line-buffered -v '^ *[0-9]*/[0-9]* \['
  [ -f metrics.json ] || return 1
  "$root/build/bin/$1" evaluate --data "$2" --weights model.safetensors --report-dir report \
    > evaluate.log
  grep -E "Test loss" evaluate.log
}
run_pytorch() {  # model data seed
  # `|| return`: set -e does not apply in a function whose caller tests it, and an
  # interrupted run must not leave a result.json that marks it finished.
  /usr/bin/python3 "$root/bench/pytorch_tutorials.py" "$1" "$2" "$threads" "$3" \
    --state state.pt > result.json.part 2> >(tee -a train.log >&2) || return 1
  mv result.json.part result.json
  cat result.json
}

for model in "${models[@]}"; do
  data=$(data_of "$model")
  for impl in "${impls[@]}"; do
    for seed in "${seeds[@]}"; do
      run="$root/runs/$model/$impl-seed$seed"
      mkdir -p "$run"
      cd "$run"
      finished=metrics.json
      [ "$impl" = pytorch ] && finished=result.json
      if [ ! -f "$finished" ]; then
        echo "== $model, $impl, seed $seed, on $data"
        started=$(date +%s)
        status=0
        "run_$impl" "$model" "$data" "$seed" || status=$?
        echo $(($(date +%s) - started)) >> wall_seconds
        [ $status -eq 0 ] || exit $status
      fi
      # The spread over seeds is for runs that take under 10 minutes.
      [ "$(awk '{ s += $1 } END { print s + 0 }' wall_seconds)" -le 600 ] || break
    done
  done
done
/usr/bin/python3 "$root/bench/tutorials_table.py" "$root/runs" > "$root/runs/tutorials.md"
cat "$root/runs/tutorials.md"
