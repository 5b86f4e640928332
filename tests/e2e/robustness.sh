#!/usr/bin/env bash
# Nothing is lost: a killed training run leaves a checkpoint that loads and resumes to the
# uninterrupted run's exact weights; Ctrl-C saves the state to resume from; a NaN loss stops
# training without writing over good weights; a damaged file or a full disk is a clear
# error that leaves the previous file whole.
# Usage: robustness.sh TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/checks.sh"
/usr/bin/python3 "$here/mnist_subset.py" "$2" "$work/mini" 512 64
train() { "$trainer" train --data "$work/mini" --batch-size 64 --threads 2 --seed 9 "$@"; }
# In the background as its own process, so that $! is the trainer itself.
train_in_background() {
  exec "$trainer" train --data "$work/mini" --batch-size 64 --threads 2 --seed 9 "$@"
}
epochs=24

check "uninterrupted run" train --epochs $epochs --save "$work/reference.safetensors"

# SIGKILL, again and again, while checkpoints are written every epoch: each run is killed
# as soon as it announces its 1st, 2nd or 3rd checkpoint, that is while it writes it.
cd "$work"
kills=0
for round in 1 2 3 4 5 6; do
  resume=()
  [ -f ck.safetensors ] && resume=(--resume ck.safetensors)
  (train_in_background --epochs $epochs --checkpoint ck.safetensors "${resume[@]}" >kill.out 2>&1) &
  pid=$!
  want=$(( round % 3 + 1 ))
  for _ in $(seq 1200); do
    [ "$(grep -c 'saving the model' kill.out)" -ge "$want" ] && break
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
  wait "$pid" 2>/dev/null
  if [ -f ck.safetensors ]; then
    check "checkpoint loads after kill $kills" "$trainer" evaluate --data mini --weights ck.safetensors
  fi
done
[ "$kills" -ge 5 ] || fail "only $kills of the runs were still going when killed"
[ -f ck.safetensors ] || fail "no checkpoint was ever written"
check "resume after the kills" train --epochs $epochs --checkpoint ck.safetensors --resume ck.safetensors \
  --save "$work/resumed.safetensors"
check "killed and resumed equals uninterrupted" /usr/bin/python3 "$here/same_state.py" \
  "$work/reference.safetensors" "$work/resumed.safetensors"

# Ctrl-C: the state is saved mid-epoch and the run resumes from that very step.
(train_in_background --epochs $epochs --save "$work/interrupted.safetensors" >"$work/int.out" 2>&1) &
pid=$!
for _ in $(seq 300); do grep -q "Epoch 3/" "$work/int.out" 2>/dev/null && break; sleep 0.1; done
kill -INT "$pid"
wait "$pid"
status=$?
checks=$((checks + 1))
[ "$status" -eq 130 ] || fail "SIGINT exit status $status, expected 130"
grep -q "saved the state to $work/interrupted.safetensors" "$work/int.out" || { fail "SIGINT did not save"; cat "$work/int.out"; }
check "resume after Ctrl-C" train --epochs $epochs --resume "$work/interrupted.safetensors" \
  --save "$work/after-int.safetensors"
check "interrupted and resumed equals uninterrupted" /usr/bin/python3 "$here/same_state.py" \
  "$work/reference.safetensors" "$work/after-int.safetensors"

# A diverging run stops at the first non-finite step and writes nothing over good weights.
cp "$work/reference.safetensors" "$work/good.safetensors"
expect_error "NaN loss stops training" "became NaN or infinite in epoch 1" \
  train --epochs 3 --optimizer sgd --lr 1e30 --save "$work/good.safetensors"
check "good weights untouched by the NaN run" cmp "$work/reference.safetensors" "$work/good.safetensors"

# A damaged or truncated checkpoint is refused.
cp "$work/reference.safetensors" "$work/flipped.safetensors"
size=$(stat -c %s "$work/flipped.safetensors")
printf '\x7f' | dd of="$work/flipped.safetensors" bs=1 seek=$((size - 100)) conv=notrunc status=none
expect_error "flipped byte" "damaged: its data does not match its checksum" \
  "$trainer" evaluate --data mini --weights "$work/flipped.safetensors"
head -c $((size / 2)) "$work/reference.safetensors" > "$work/half.safetensors"
expect_error "truncated file" "half.safetensors" "$trainer" evaluate --data mini --weights "$work/half.safetensors"

# A whole-model file whose training record (history, callbacks' state) is malformed is refused
# by --resume, naming the file.
/usr/bin/python3 - "$work/reference.safetensors" "$work/bad-record.safetensors" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", data[:8])
header = json.loads(data[8:8 + n])
header["__metadata__"]["history"] = '[{"epoch": "one"}]'
text = json.dumps(header).encode()
open(sys.argv[2], "wb").write(struct.pack("<Q", len(text)) + text + data[8 + n:])
PY
expect_error "malformed history" "bad-record.safetensors: malformed history or callback state" \
  train --epochs $((epochs + 1)) --resume "$work/bad-record.safetensors"

# A full disk (a 200 KB file size limit) fails the save with a clear error; the old file stays.
cp "$work/reference.safetensors" "$work/full-disk.safetensors"
expect_error "disk full" "write failed" bash -c "trap '' XFSZ; ulimit -f 200; exec \"\$@\"" _ \
  "$trainer" train --data "$work/mini" --batch-size 64 --epochs 1 --save "$work/full-disk.safetensors"
check "old file whole after the failed write" cmp "$work/reference.safetensors" "$work/full-disk.safetensors"
[ -z "$(ls "$work"/full-disk.safetensors.tmp* 2>/dev/null)" ] || fail "the failed write left its temporary file"

tally
