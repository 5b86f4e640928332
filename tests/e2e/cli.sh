#!/usr/bin/env bash
# The trainer's command line, end to end: a short real run, then every kind of bad input
# gets one clear line on stderr and a non-zero exit.
# Usage: cli.sh TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

expect_ok() {  # description, command...
  local what=$1; shift
  checks=$((checks + 1))
  if ! "$@" >"$work/out" 2>"$work/err"; then
    echo "FAIL: $what: exit $?"; cat "$work/err"; failures=$((failures + 1))
  fi
}
expect_error() {  # description, phrase, command...
  local what=$1 phrase=$2; shift 2
  checks=$((checks + 1))
  "$@" >"$work/out" 2>"$work/err"
  local status=$?
  if [ "$status" -eq 0 ]; then
    echo "FAIL: $what: exited 0"; failures=$((failures + 1)); return
  fi
  if ! grep -q -- "$phrase" "$work/err"; then
    echo "FAIL: $what: stderr lacks '$phrase':"; cat "$work/err"; failures=$((failures + 1)); return
  fi
  if grep -q -i "segmentation\|abort\|terminate called" "$work/err"; then
    echo "FAIL: $what: crashed"; failures=$((failures + 1))
  fi
}

expect_ok "summary" "$trainer" summary --dot "$work/model.dot"
grep -q "Total params: 1,199,882" "$work/out" || { echo "FAIL: summary total"; failures=$((failures + 1)); }
grep -q "digraph" "$work/model.dot" || { echo "FAIL: summary --dot"; failures=$((failures + 1)); }

expect_ok "train" "$trainer" train --data "$data" --epochs 1 --max-steps 3 --batch-size 32 \
  --validation-split 0.01 --save "$work/w.safetensors" --metrics-json "$work/m.json" --threads 1
for key in '"epochs"' '"val_loss"' '"val_accuracy"' '"test_loss"' '"test_accuracy"' '"train_images_per_second"'; do
  grep -q "$key" "$work/m.json" || { echo "FAIL: metrics lack $key"; failures=$((failures + 1)); }
done
expect_ok "numpy reads the weights" /usr/bin/python3 "$(dirname "$0")/read_weights.py" "$work/w.safetensors"
expect_ok "evaluate" "$trainer" evaluate --data "$data" --weights "$work/w.safetensors" --metrics-json "$work/e.json"
grep -q "test_accuracy" "$work/e.json" || { echo "FAIL: evaluate metrics"; failures=$((failures + 1)); }
expect_ok "predict" "$trainer" predict --data "$data" --weights "$work/w.safetensors" --count 3
[ "$(wc -l < "$work/out")" -eq 4 ] || { echo "FAIL: predict printed $(wc -l < "$work/out") lines"; failures=$((failures + 1)); }
expect_ok "train from initial weights" "$trainer" train --data "$data" --epochs 1 --max-steps 1 \
  --initial-weights "$work/w.safetensors" --validation-split 0

expect_error "no subcommand" "subcommand" "$trainer"
expect_error "unknown flag" "--nonsense" "$trainer" train --data "$data" --nonsense 1
expect_error "non-numeric epochs" "epochs" "$trainer" train --data "$data" --epochs many
expect_error "unknown optimizer" "optimizer" "$trainer" train --data "$data" --optimizer adamw
expect_error "validation split 1.5" "validation-split must be in" "$trainer" train --data "$data" --validation-split 1.5
expect_error "zero batch" "batch-size must be at least 1" "$trainer" train --data "$data" --batch-size 0
expect_error "missing data directory" "no such directory" "$trainer" train --data "$work/nowhere"
mkdir -p "$work/empty"
expect_error "empty data directory" "no data set found" "$trainer" train --data "$work/empty"
mkdir -p "$work/broken"
printf 'not an idx file' > "$work/broken/train-images-idx3-ubyte"
cp "$data"/train-labels-idx1-ubyte* "$work/broken/" 2>/dev/null
expect_error "malformed idx" "not an idx file" "$trainer" train --data "$work/broken"
printf 'garbage' > "$work/garbage.safetensors"
expect_error "malformed weights" "not a safetensors file" "$trainer" evaluate --data "$data" --weights "$work/garbage.safetensors"
expect_error "missing weights" "cannot read" "$trainer" evaluate --data "$data" --weights "$work/none.safetensors"
expect_error "unwritable save path" "cannot write" "$trainer" train --data "$data" --save /proc/forbidden/w.safetensors

echo "$(( checks - failures )) passed, $failures failed"
[ "$failures" -eq 0 ]
