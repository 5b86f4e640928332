#!/usr/bin/env bash
# The kernels' x86-64 variants (CNN_CPU_TARGETS) compute the same training: each variant this
# CPU can run, chosen with CNN_MAX_CPU_ISA, trains mnist_cnn for a few steps to losses within
# 1e-4 of the best variant's, and the metrics name the variant Halide's wrapper ran. An
# unknown CNN_MAX_CPU_ISA is refused. SGD: the variants round differently (FMA or not, vector
# widths, Winograd's transforms), and RMSprop's and Adam's per-weight normalization turns
# those last bits into whole steps (after 6 steps their losses part by 0.05-2.6%, where SGD's
# stay within 2e-5).
# Usage: cpu_variants.sh TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/checks.sh"
/usr/bin/python3 "$here/mnist_subset.py" "$2" "$work/mini" 256 64
train() {  # isa metrics.json
  env CNN_MAX_CPU_ISA="$1" "$trainer" train --data "$work/mini" --epochs 2 --max-steps 6 \
    --batch-size 64 --threads 2 --seed 4 --optimizer sgd --metrics-json "$2"
}
field() { /usr/bin/python3 -c "import json, sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

check "the best variant trains" train "" "$work/best.json"
best=$(field "$work/best.json" '["cpu_variant"]')
grep -q "^Kernels: " "$work/out" || fail "the trainer does not say which kernels run"
case $best in
  avx512) variants=(avx2 x86-64) ;;
  avx2) variants=(x86-64) ;;
  *) variants=(); fail "the best variant is '$best': this build has one target" ;;
esac
for isa in "${variants[@]}"; do
  check "$isa trains" train "$isa" "$work/$isa.json"
  holds "$isa ran" test "$(field "$work/$isa.json" '["cpu_variant"]')" = "$isa"
  holds "$isa: the losses of $best within 1e-4" /usr/bin/python3 -c "
import json, sys
a, b = (json.load(open(p))['epochs'] for p in sys.argv[1:])
assert len(a) == len(b) == 2
for x, y in zip(a, b):
    for k in ('loss', 'val_loss'):
        assert abs(x[k] - y[k]) <= 1e-4 * abs(y[k]), (k, x[k], y[k])
" "$work/$isa.json" "$work/best.json"
done
expect_error "unknown CNN_MAX_CPU_ISA" "CNN_MAX_CPU_ISA=avx9: choose avx512, avx2 or x86-64" \
  train avx9 "$work/bad.json"
tally
