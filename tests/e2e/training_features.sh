#!/usr/bin/env bash
# Keras's training features through the trainer's command line, on a small MNIST subset:
# resuming gives exactly the uninterrupted run's weights; EarlyStopping, ModelCheckpoint
# and ReduceLROnPlateau act; transfer by layer name and frozen layers; the history and
# evaluation files; and mistakes in these flags get one clear line.
# Usage: training_features.sh TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/checks.sh"
/usr/bin/python3 "$here/mnist_subset.py" "$2" "$work/mini" 512 128
data="$work/mini"
train() { "$trainer" train --data "$data" --batch-size 64 --threads 2 --seed 5 "$@"; }

# Resuming: 3 epochs at once equal 2 epochs, saved, then resumed to 3; every tensor, the
# optimizer state and the random position alike (same_state.py: all but the history's times).
check "3 epochs" train --epochs 3 --save "$work/full.safetensors"
check "2 epochs" train --epochs 2 --save "$work/part.safetensors"
check "resume to 3" train --epochs 3 --resume "$work/part.safetensors" --save "$work/resumed.safetensors"
grep -q "resuming after epoch 2" "$work/out" || fail "resume did not say where it resumed"
check "resumed state is the same" /usr/bin/python3 "$here/same_state.py" "$work/full.safetensors" \
  "$work/resumed.safetensors"

# EarlyStopping: nothing beats the first epoch by 10, so patience 1 stops at epoch 2.
check "early stopping" train --epochs 10 --early-stopping-patience 1 --min-delta 10 \
  --history-dir "$work/history"
grep -q "Epoch 2: early stopping" "$work/out" || fail "early stopping did not stop at epoch 2"
[ "$(wc -l < "$work/history/history.csv")" -eq 3 ] || fail "history.csv should hold 2 epochs"
for f in loss.png accuracy.png; do
  head -c 4 "$work/history/$f" | grep -q PNG || fail "history/$f is not a PNG"
done
grep -q '"val_loss"' "$work/history/history.json" || fail "history.json lacks val_loss"

# The callbacks remember across an interruption: nothing beats epoch 1 by 10, so EarlyStopping
# (patience 5) stops at epoch 6 and restores epoch 1's weights, resumed or not. Started afresh
# in epoch 3, it would stop two epochs later with other weights. ReduceLROnPlateau and a
# best-only checkpoint carry their bests too; the history goes on where it stopped.
remembering=(--epochs 10 --early-stopping-patience 5 --min-delta 10 --restore-best-weights true
  --reduce-lr-patience 2 --checkpoint "$work/best.safetensors" --save-best-only true)
check "callbacks, uninterrupted" train "${remembering[@]}" --save "$work/calm.safetensors" \
  --history-dir "$work/calm"
(exec "$trainer" train --data "$data" --batch-size 64 --threads 2 --seed 5 "${remembering[@]}" \
  --save "$work/stormy.safetensors" >"$work/stormy.out" 2>&1) &
pid=$!
for _ in $(seq 600); do grep -q "Epoch 3/" "$work/stormy.out" 2>/dev/null && break; sleep 0.01; done
kill -INT "$pid"
wait "$pid"
holds "callbacks, interrupted by Ctrl-C" test $? -eq 130
check "callbacks, resumed" train "${remembering[@]}" --resume "$work/stormy.safetensors" \
  --save "$work/stormy.safetensors" --history-dir "$work/stormy"
grep -q "Epoch 6: early stopping" "$work/out" || fail "resumed EarlyStopping forgot its patience"
check "callbacks, interrupted and resumed ends the same" \
  /usr/bin/python3 "$here/same_state.py" "$work/calm.safetensors" "$work/stormy.safetensors"
check "the resumed history goes on" diff <(cut -d, -f1-6 "$work/calm/history.csv") \
  <(cut -d, -f1-6 "$work/stormy/history.csv")

# ModelCheckpoint fills in its fields each epoch.
check "checkpoints" train --epochs 2 --checkpoint "$work/ck-{epoch:02d}-{val_loss:.2f}.safetensors"
[ "$(ls "$work"/ck-01-*.safetensors "$work"/ck-02-*.safetensors 2>/dev/null | wc -l)" -eq 2 ] ||
  fail "expected a checkpoint per epoch: $(ls "$work")"

# ReduceLROnPlateau halves the rate after each epoch that does not improve by 10; the
# history logs the rate each epoch trained with.
check "reduce lr" train --epochs 3 --reduce-lr-patience 1 --reduce-lr-factor 0.5 \
  --reduce-lr-min-delta 10 --optimizer sgd --lr 0.01 --history-dir "$work/lr"
cut -d, -f4 "$work/lr/history.csv" | tail -n +2 | tr '\n' ' ' | grep -q "^0.01 0.01 0.005 $" ||
  fail "learning rates were $(cut -d, -f4 "$work/lr/history.csv" | tr '\n' ' ')"

# Transfer learning: conv2d comes from another file and stays frozen; dense_1 trains.
check "transfer and freeze" train --epochs 1 --transfer-from "$work/full.safetensors" \
  --transfer-layers conv2d --freeze conv2d --save "$work/transfer.safetensors"
grep -q "Loaded the weights of conv2d from" "$work/out" || fail "transfer did not report its layers"
check "frozen layer kept its weights" /usr/bin/python3 "$here/same_tensor.py" \
  "$work/full.safetensors" "$work/transfer.safetensors" conv2d/kernel
if /usr/bin/python3 "$here/same_tensor.py" "$work/full.safetensors" "$work/transfer.safetensors" dense_1/kernel; then
  fail "dense_1 did not train"
fi

# Evaluation: the confusion matrix printed and every report file written.
check "evaluate report" "$trainer" evaluate --data "$data" --weights "$work/full.safetensors" \
  --report-dir "$work/report" --image 5
grep -q "Confusion matrix" "$work/out" || fail "evaluate did not print the confusion matrix"
grep -q "precision" "$work/out" || fail "evaluate did not print precision and recall"
for f in confusion_matrix.csv confusion_matrix.png classification_report.txt predictions.png probabilities.png; do
  [ -s "$work/report/$f" ] || fail "report/$f missing"
done
[ "$(wc -l < "$work/report/confusion_matrix.csv")" -eq 11 ] || fail "confusion_matrix.csv is not 10 rows and a header"

# Mistakes in these flags.
check "weights-only file" train --epochs 1 --save "$work/weights.safetensors" --save-weights-only
expect_error "resume from weights only" "holds weights only" train --epochs 2 --resume "$work/weights.safetensors"
check "resume past the end is done, not an error" train --epochs 3 --resume "$work/full.safetensors"
grep -q "already trained 3 epochs (--epochs 3): nothing left to train" "$work/out" ||
  fail "resume past the end did not say there is nothing left to train"
expect_error "freeze an unknown layer" "has no layer 'conv9'" train --epochs 1 --freeze conv9
expect_error "transfer an unknown layer" "has no layer 'conv9'" train --epochs 1 \
  --transfer-from "$work/full.safetensors" --transfer-layers conv9
expect_error "monitor without validation" "without a validation set" train --epochs 1 \
  --validation-split 0 --early-stopping-patience 1
expect_error "unknown monitored metric" "cannot monitor 'val_acc'" train --epochs 1 \
  --early-stopping-patience 1 --early-stopping-monitor val_acc
expect_error "bad checkpoint field" "checkpoint path" train --epochs 1 --checkpoint "$work/{step}.st"
expect_error "no --loss flag (the loss is the recipe's)" "--loss" train --epochs 1 --loss hinge
expect_error "image out of range" "--image 500" "$trainer" evaluate --data "$data" \
  --weights "$work/full.safetensors" --image 500
expect_error "unwritable history" "cannot write there" train --epochs 1 --history-dir /proc/forbidden

tally
