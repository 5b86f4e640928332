#!/usr/bin/env bash
# Data-parallel training under mpirun, on this machine: the weights equal a single
# process's with the same global batch, seed and data order (tightly for a smooth model and
# SGD); BatchNormalization's moving statistics are those of the whole global batch; rank 0
# alone prints and writes; an error names its rank and ends the job; a rank killed
# mid-training is named by rank 0, which says which checkpoint to resume from and promises no
# save; a state resumes under another number of processes with its global batch.
# Usage: distributed.sh MNIST_CNN_TRAINER MNIST_BN_TRAINER LENET5_TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
bn_trainer=$(realpath "$2")
smooth_trainer=$(realpath "$3")
mnist=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/checks.sh"
# 161 training samples, 10% held out: 145 to train on, so that an epoch is 3 global batches
# of 64, the last of 17 samples split unevenly, 9 and 8.
/usr/bin/python3 "$here/mnist_subset.py" "$mnist" "$work/mini" 161 200
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

# A rank killed mid-training: Open MPI ends the job; rank 0 says that rank 1 ended, that the
# step in flight is lost, and which checkpoint to resume from (the last one written, by rank 0
# alone), and promises no save; that checkpoint resumes under three processes at its global
# batch.
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
grep -q "rank 0 of 2 (.*): signal 15 from the launcher: Open MPI is ending the job, because rank 1 (pid $rank1 on .*) has ended" \
  "$work/killed.out" || { fail "rank 0 does not name rank 1"; tail -20 "$work/killed.out"; }
checks=$((checks + 1))
grep -q "The step in flight (epoch [0-9]*, step [0-9]*) is lost" "$work/killed.out" ||
  fail "rank 0 does not say the step in flight is lost"
checks=$((checks + 1))
grep -q "saving the state" "$work/killed.out" && fail "a save was promised that cannot happen"
last=$(ls -v "$work"/ck-*.safetensors 2>/dev/null | tail -1)
checks=$((checks + 1))
grep -q "the same command with --resume $last\$" "$work/killed.out" ||
  fail "rank 0 does not name the last checkpoint, $last"
epoch=$(basename "$last" .safetensors)
epoch=${epoch#ck-}
check "the last checkpoint loads" "$trainer" evaluate --data "$data" --weights "$last"
check "and resumes under three processes" mpirun --oversubscribe -np 3 "$trainer" train \
  "${common[@]}" --checkpoint "" --epochs $((epoch + 1)) --resume "$last" \
  --save "$work/resumed.safetensors"
grep -q "batch 16 over 3 processes (6 or 5 each), resuming after epoch $epoch" "$work/out" ||
  fail "the resumed run did not keep the global batch of 16 and start after epoch $epoch"

# The tight case: a smooth model (tanh, average pooling, no Winograd) and SGD, where only the
# order of the sums differs (3e-6 to 5e-6 measured here, relative to the largest bias); 16
# steps.
smooth=(--data "$data" --threads 1 --seed 7 --validation-split 0.1 --checkpoint "" --optimizer sgd)
check "smooth, one process" "$smooth_trainer" train "${smooth[@]}" --epochs 10 --max-steps 16 \
  --batch-size 64 --save "$work/smooth1.safetensors"
check "smooth, two processes" mpi "$smooth_trainer" train "${smooth[@]}" --epochs 10 \
  --max-steps 16 --batch-size 32 --save "$work/smooth2.safetensors"
check "smooth, SGD, 16 steps: within 1e-5" /usr/bin/python3 "$here/close_weights.py" \
  "$work/smooth2.safetensors" "$work/smooth1.safetensors" 1e-5 '^(?!optimizer/)'
# A global batch shared unevenly (22, 21, 21).
check "smooth, three processes, global batch 64" mpirun --oversubscribe -np 3 "$smooth_trainer" \
  train "${smooth[@]}" --epochs 10 --max-steps 16 --global-batch-size 64 \
  --save "$work/smooth3.safetensors"
grep -q "batch 64 over 3 processes (22 or 21 each)" "$work/out" || fail "3 processes did not say their batch"
check "smooth, SGD, three uneven shards: within 1e-5" /usr/bin/python3 "$here/close_weights.py" \
  "$work/smooth3.safetensors" "$work/smooth1.safetensors" 1e-5 '^(?!optimizer/)'

# Stopped in the middle of an epoch (a SIGTERM to rank 0, not from the launcher: the ranks
# stop together and rank 0 saves), the state goes on under three processes and under one at
# its global batch, and both end where an uninterrupted run does.
check "smooth, uninterrupted" "$smooth_trainer" train "${smooth[@]}" --epochs 40 \
  --global-batch-size 16 --save "$work/calm.safetensors"
mpi "$smooth_trainer" train "${smooth[@]}" --epochs 40 --batch-size 8 \
  --save "$work/paused.safetensors" >"$work/paused.out" 2>&1 &
job=$!
for _ in $(seq 600); do grep -q "Epoch 3/" "$work/paused.out" 2>/dev/null && break; sleep 0.05; done
rank0=""
for p in $(pgrep -f "$work/paused.safetensors" || true); do
  tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=0" && rank0=$p
done
[ -n "$rank0" ] && kill -TERM "$rank0"
wait "$job"
checks=$((checks + 1))
grep -q "saved the state to $work/paused.safetensors" "$work/paused.out" ||
  { fail "two processes stopped by SIGTERM did not save"; tail -5 "$work/paused.out"; }
for n in 1 3; do
  check "the paused state goes on under $n processes" mpirun --oversubscribe -np $n \
    "$smooth_trainer" train "${smooth[@]}" --epochs 40 --resume "$work/paused.safetensors" \
    --save "$work/resumed$n.safetensors"
  check "and ends as the uninterrupted run (within 1e-5)" /usr/bin/python3 "$here/close_weights.py" \
    "$work/resumed$n.safetensors" "$work/calm.safetensors" 1e-5 '^(?!optimizer/)'
done
# Its epoch goes on only at its global batch: another is refused, naming the batch to use.
/usr/bin/python3 - "$work/paused.safetensors" "$work/midway.safetensors" <<'PY'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    (n,) = struct.unpack("<Q", f.read(8))
    header, data = json.loads(f.read(n)), f.read()
header["__metadata__"]["epoch_step"] = "3"  # in the middle of an epoch, whatever it was
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + data)
PY
expect_error "a paused epoch at another batch" "at a global batch of 16: that epoch goes on only at that batch (no batch flag, or --global-batch-size 16)" \
  "$smooth_trainer" train "${smooth[@]}" --epochs 40 --resume "$work/midway.safetensors" --batch-size 32
expect_error "both batch flags" "pass one" \
  "$smooth_trainer" train "${smooth[@]}" --batch-size 8 --global-batch-size 16
expect_error "a global batch smaller than the processes" "each process needs a sample of every step" \
  mpi "$smooth_trainer" train "${smooth[@]}" --global-batch-size 1
tally
