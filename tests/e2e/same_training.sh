#!/usr/bin/env bash
# Two trainers of one model declared two ways (Sequential and functional) train the same:
# from one seed, a few steps give bit-identical weights, moving statistics and optimizer state.
# (tests/dsl/test_model.cpp checks their summaries.)
# Usage: same_training.sh TRAINER_A TRAINER_B DATA_DIR
set -u
a=$(realpath "$1")
b=$(realpath "$2")
data=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/checks.sh"

for t in a b; do
  trainer=${!t}
  check "$t trains" "$trainer" train --data "$data" --epochs 1 --max-steps 4 --seed 3 --threads 2 \
    --validation-split 0.01 --checkpoint "" --save "$work/$t.safetensors"
done
holds "bit-identical weights" /usr/bin/python3 "$(dirname "$0")/close_weights.py" \
  "$work/a.safetensors" "$work/b.safetensors" 0
tally
