#!/usr/bin/env bash
# Two hosts over TCP, as a cluster runs: two network namespaces joined by a veth pair, the
# second with its own host name, Open MPI's rsh launcher entering it as ssh would enter
# another machine, and only the TCP transport. Two processes train as one process does;
# a process killed on the second host is named by the first, which says where to resume
# from; that checkpoint resumes under one process with the same global batch.
# Needs root (network namespaces); exits 77 (skipped) where they cannot be made.
# Usage: multi_host.sh MNIST_CNN_TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
source "$here/../../scripts/two_hosts.sh"
trap 'two_hosts_down; rm -rf "$work"' EXIT
two_hosts_up "$work" || { echo "skipped: cannot make network namespaces (root and iproute2 needed)"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source "$here/checks.sh"
/usr/bin/python3 "$here/mnist_subset.py" "$2" "$work/mini" 161 200
common=(--data "$work/mini" --threads 1 --seed 7 --validation-split 0.1)

check "one process, batch 64" "$trainer" train "${common[@]}" --optimizer sgd --epochs 2 \
  --checkpoint "" --batch-size 64 --save "$work/one.safetensors"
check "two hosts over TCP, batch 32 each" over_tcp "$trainer" train "${common[@]}" \
  --optimizer sgd --epochs 2 --checkpoint "" --batch-size 32 --save "$work/tcp.safetensors"
grep -q "batch 64 = 32 per process x 2 processes" "$work/out" || fail "the run over TCP did not say its global batch"
check "weights within 1e-5 of one process" /usr/bin/python3 "$here/close_weights.py" \
  "$work/tcp.safetensors" "$work/one.safetensors" 1e-5 '^(?!optimizer/)'
check "two processes over shared memory" mpirun --oversubscribe -np 2 "$trainer" train \
  "${common[@]}" --optimizer sgd --epochs 2 --checkpoint "" --batch-size 32 \
  --save "$work/shm.safetensors"
check "TCP and shared memory sum alike: the same weights" /usr/bin/python3 "$here/close_weights.py" \
  "$work/tcp.safetensors" "$work/shm.safetensors" 0

# Rank 1, on the second host, killed mid-training.
over_tcp "$trainer" train "${common[@]}" --epochs 1000 --global-batch-size 16 \
  --checkpoint "$work/ck-{epoch}.safetensors" --save-best-only false >"$work/killed.out" 2>&1 &
job=$!
for _ in $(seq 1200); do
  [ -e "$work/ck-2.safetensors" ] || ! kill -0 "$job" 2>/dev/null && break
  sleep 0.1
done
rank1=""
for p in $(ip netns pids "$two_hosts_b"); do
  tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=1" && rank1=$p
done
checks=$((checks + 1))
if [ -z "$rank1" ]; then
  fail "rank 1 never started on the second host, or no checkpoint came"
  tail -20 "$work/killed.out"
else
  kill -9 "$rank1"
fi
wait "$job"
checks=$((checks + 1))
grep -q "Open MPI is ending the job, because rank 1 (pid $rank1 on cnn-host-b) has ended" \
  "$work/killed.out" || { fail "rank 0 did not name rank 1 on cnn-host-b"; tail -15 "$work/killed.out"; }
checks=$((checks + 1))
grep -q "saving the state" "$work/killed.out" && fail "a save was promised that cannot happen"
resume=$(sed -n 's/.*the same command with --resume //p' "$work/killed.out" | tail -1)
checks=$((checks + 1))
if [ -n "$resume" ] && [ -f "$resume" ]; then
  epoch=$(basename "$resume" .safetensors)
  epoch=${epoch#ck-}
  check "the named checkpoint resumes in one process, at its global batch" "$trainer" train \
    "${common[@]}" --checkpoint "" --epochs $((epoch + 1)) --resume "$resume"
  grep -q "batch 16, resuming after epoch $epoch" "$work/out" ||
    fail "the resumed run did not keep the global batch of 16"
else
  fail "no checkpoint named to resume from: '$resume'"
fi
tally
