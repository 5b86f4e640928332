#!/usr/bin/env bash
# Data-parallel training under mpirun, two processes on this machine: the weights equal a
# single process's with the same global batch, seed and data order; BatchNormalization's
# moving statistics are those of the whole global batch; rank 0 alone prints and writes; an
# error names its rank and ends the job; a rank killed mid-training ends the job with an
# error naming it, and the last checkpoint loads and resumes.
# Usage: distributed.sh MNIST_CNN_TRAINER MNIST_BN_TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
bn_trainer=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/checks.sh"
# 161 training samples, 10% held out: 145 to train on, so that an epoch is 3 global batches
# of 64, the last of 17 samples split unevenly, 9 and 8.
/usr/bin/python3 "$here/mnist_subset.py" "$3" "$work/mini" 161 200
data="$work/mini"
# CI runs as root; Open MPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() { mpirun --oversubscribe -np 2 "$@"; }
common=(--data "$data" --threads 1 --seed 7 --validation-split 0.1)

# Two ranks of 32 equal one process of 64 over 2 epochs, 6 steps (mnist_cnn has dropout:
# each rank draws the masks of its samples' places in the global batch). The sums run in
# another order, so the weights differ in their last bits. SGD keeps that difference where it
# is; Adam's steps, m / sqrt(v) for each weight, turn the last bits of near-zero gradients
# into whole steps, after which near-ties of max pooling and ReLU flip and the runs part:
# with Winograd's convolutions (whose rounding differs from point to point of a tile) by
# about 1e-3 after 6 steps, still far closer than a sample or mask given to the wrong rank.
check "one process, batch 64, SGD" "$trainer" train "${common[@]}" --checkpoint "" \
  --optimizer sgd --epochs 2 --batch-size 64 --save "$work/one.safetensors" \
  --metrics-json "$work/one.json"
check "two processes, batch 32 each, SGD" mpi "$trainer" train "${common[@]}" --checkpoint "" \
  --optimizer sgd --epochs 2 --batch-size 32 --save "$work/two.safetensors" \
  --metrics-json "$work/two.json"
grep -q "batch 64 = 32 per process x 2 processes" "$work/out" || fail "the run did not say its global batch"
[ "$(grep -c "^Training mnist_cnn" "$work/out")" -eq 1 ] || fail "more than rank 0 printed"
check "weights within 1e-5" /usr/bin/python3 "$here/close_weights.py" "$work/two.safetensors" \
  "$work/one.safetensors" 1e-5
check "validation and test metrics equal" /usr/bin/python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
pairs = [(a["test_loss"], b["test_loss"]), (a["test_accuracy"], b["test_accuracy"])]
pairs += [(x[k], y[k]) for x, y in zip(a["epochs"], b["epochs"]) for k in ("val_loss", "val_accuracy", "loss", "accuracy")]
bad = [p for p in pairs if abs(p[0] - p[1]) > 1e-5 * max(1.0, abs(p[1]))]
sys.exit(f"differ: {bad}" if bad else 0)' "$work/two.json" "$work/one.json"
check "one process, batch 64, Adam" "$trainer" train "${common[@]}" --checkpoint "" \
  --optimizer adam --epochs 2 --batch-size 64 --save "$work/one_adam.safetensors"
check "two processes, batch 32 each, Adam" mpi "$trainer" train "${common[@]}" --checkpoint "" \
  --optimizer adam --epochs 2 --batch-size 32 --save "$work/two_adam.safetensors"
check "Adam's weights within 1e-2" /usr/bin/python3 "$here/close_weights.py" \
  "$work/two_adam.safetensors" "$work/one_adam.safetensors" 1e-2

# BatchNormalization: after one step from the same weights, the moving statistics are the
# global batch's, not an average of the ranks'. (Within the step each rank normalizes with
# its shard's statistics, as Keras under Horovod does without SyncBatchNormalization, so
# only the first such layer sees the same inputs in both runs.)
check "bn, one process" "$bn_trainer" train "${common[@]}" --checkpoint "" --max-steps 1 \
  --batch-size 64 --save "$work/bn1.safetensors"
check "bn, two processes" mpi "$bn_trainer" train "${common[@]}" --checkpoint "" --max-steps 1 \
  --batch-size 32 --save "$work/bn2.safetensors"
check "moving statistics within 1e-5" /usr/bin/python3 "$here/close_weights.py" \
  "$work/bn2.safetensors" "$work/bn1.safetensors" 1e-5 "^batch_normalization/moving_"
# Those move by 1% of the batch's statistics from where they started (mean 0, variance 1):
# the batch statistics themselves, recovered, agree to rounding, where one rank's own would
# be some percent off.
check "batch statistics within 1e-3" /usr/bin/python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from close_weights import tensors
a, b = tensors(sys.argv[2]), tensors(sys.argv[3])
worst = 0.0
for role, start in (("moving_mean", 0.0), ("moving_variance", 1.0)):
    x, y = ((t["batch_normalization/" + role].astype(float) - 0.99 * start) / 0.01 for t in (a, b))
    worst = max(worst, float(abs(x - y).max() / abs(y).max()))
print(f"largest relative difference {worst:.3g}")
sys.exit(0 if worst <= 1e-3 else 1)' "$here" "$work/bn2.safetensors" "$work/bn1.safetensors"

# An error on the ranks names the rank and ends the job.
expect_error "missing data" "error on rank [01] of 2" mpi "$trainer" train --data "$work/none"

# A rank killed mid-training: the job ends, the error names the rank, and the last
# checkpoint (written by rank 0 alone) loads and resumes.
mpi "$trainer" train "${common[@]}" --epochs 1000 --batch-size 8 \
  --checkpoint "$work/ck-{epoch}.safetensors" --save-best-only false >"$work/killed.out" 2>&1 &
job=$!
for _ in $(seq 600); do
  [ -e "$work/ck-2.safetensors" ] && break
  sleep 0.1
done
rank1=""
for p in $(pgrep -f "$work/mini" || true); do
  tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && rank1=$p
done
checks=$((checks + 1))
if [ -z "$rank1" ]; then
  fail "rank 1 never started or the checkpoints never came"
  kill "$job" 2>/dev/null
else
  kill -9 "$rank1"
fi
wait "$job"
status=$?
checks=$((checks + 1))
[ "$status" -ne 0 ] || fail "the job exited 0 with a rank killed"
checks=$((checks + 1))
grep -q "rank 1" "$work/killed.out" || { fail "the error does not name rank 1"; tail -20 "$work/killed.out"; }
last=$(ls -v "$work"/ck-*.safetensors 2>/dev/null | tail -1)
epoch=$(basename "$last" .safetensors)
epoch=${epoch#ck-}
check "the last checkpoint loads" "$trainer" evaluate --data "$data" --weights "$last"
check "and resumes" mpi "$trainer" train "${common[@]}" --checkpoint "" --batch-size 8 --epochs $((epoch + 1)) \
  --resume "$last" --save "$work/resumed.safetensors"
grep -q "resuming after epoch $epoch" "$work/out" || fail "the resumed run did not start after epoch $epoch"
tally
