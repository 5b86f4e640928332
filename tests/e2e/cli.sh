#!/usr/bin/env bash
# The trainer's command line, end to end: a short real run, then every kind of bad input
# gets one clear line on stderr and a non-zero exit.
# Usage: cli.sh TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/checks.sh"

check "summary" "$trainer" summary --dot "$work/model.dot"
holds "summary total" grep -q "Total params: 1,199,882" "$work/out"
holds "summary --dot" grep -q "digraph" "$work/model.dot"
check "summary --plot" "$trainer" summary --plot "$work/model.png" --show-shapes
holds "summary --plot draws a PNG" /usr/bin/python3 -c "
import sys; assert open(sys.argv[1], 'rb').read(8) == b'\\x89PNG\\r\\n\\x1a\\n'" "$work/model.png"
check "summary --plot svg" "$trainer" summary --plot "$work/model.svg" --rankdir LR \
  --show-layer-names false
holds "the SVG has each layer's type, not its name" sh -c \
  "grep -q '>MaxPooling2D<' '$work/model.svg' && ! grep -q 'max_pooling2d' '$work/model.svg'"
expect_error "summary --plot with an unknown extension" "name it .png, .svg or .pdf" \
  "$trainer" summary --plot "$work/model.gif"
holds "nothing printed before the refusal" test ! -s "$work/out"
expect_error "summary --plot into a missing folder" "no such directory" \
  "$trainer" summary --plot "$work/missing/model.png"
expect_error "summary --rankdir" "rankdir" "$trainer" summary --rankdir XY

check "train" "$trainer" train --data "$data" --epochs 1 --max-steps 3 --batch-size 32 \
  --validation-split 0.01 --save "$work/w.safetensors" --metrics-json "$work/m.json" --threads 1
for key in '"epochs"' '"val_loss"' '"val_accuracy"' '"test_loss"' '"test_accuracy"' '"train_images_per_second"'; do
  holds "metrics have $key" grep -q "$key" "$work/m.json"
done
check "numpy reads the weights" /usr/bin/python3 "$(dirname "$0")/read_weights.py" "$work/w.safetensors"
check "evaluate" "$trainer" evaluate --data "$data" --weights "$work/w.safetensors" --metrics-json "$work/e.json"
holds "evaluate metrics" grep -q "test_accuracy" "$work/e.json"
check "predict" "$trainer" predict --data "$data" --weights "$work/w.safetensors" --count 3
holds "predict prints a header and 3 lines" test "$(wc -l < "$work/out")" -eq 4
check "predict saves every probability" "$trainer" predict --data "$data" \
  --weights "$work/w.safetensors" --count 3 --save-probabilities "$work/p.csv"
holds "3 rows of 10 probabilities summing to 1, best as printed" /usr/bin/python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
printed = [line.split() for line in open(sys.argv[2]).read().splitlines()[1:]]
assert rows[0] == ['image'] + [str(c) for c in range(10)] and len(rows) == 4
for row, line in zip(rows[1:], printed):
    p = [float(v) for v in row[1:]]
    assert abs(sum(p) - 1) < 1e-5 and str(p.index(max(p))) == line[2], (p, line)
" "$work/p.csv" "$work/out"
# A step too small to move anything: what is saved is what was loaded, not a fresh start.
check "train from initial weights" "$trainer" train --data "$data" --epochs 1 --max-steps 1 \
  --initial-weights "$work/w.safetensors" --validation-split 0 --optimizer sgd --lr 1e-12 \
  --save "$work/w2.safetensors"
holds "training starts from the initial weights" \
  /usr/bin/python3 "$(dirname "$0")/close_weights.py" "$work/w.safetensors" "$work/w2.safetensors" 1e-6 "/(kernel|bias)$"

# Another tool's file of the same tensors (numpy's: float64 kernels, float16 biases, no
# metadata of ours) starts training and evaluates; it holds no training state to resume.
check "numpy writes the weights" /usr/bin/python3 "$(dirname "$0")/foreign_weights.py" \
  "$work/w.safetensors" "$work/numpy.safetensors"
check "evaluate numpy's file" "$trainer" evaluate --data "$data" --weights "$work/numpy.safetensors"
check "train from numpy's file" "$trainer" train --data "$data" --epochs 1 --max-steps 1 \
  --initial-weights "$work/numpy.safetensors" --validation-split 0 --optimizer sgd --lr 1e-12 \
  --save "$work/w3.safetensors"
holds "numpy's kernels loaded as they were" \
  /usr/bin/python3 "$(dirname "$0")/close_weights.py" "$work/w.safetensors" "$work/w3.safetensors" 1e-6 "/kernel$"
holds "numpy's float16 biases loaded to float16's precision" \
  /usr/bin/python3 "$(dirname "$0")/close_weights.py" "$work/w.safetensors" "$work/w3.safetensors" 1e-3 "/bias$"
check "train from numpy's file by name, skipping mismatches" "$trainer" train --data "$data" \
  --epochs 1 --max-steps 1 --initial-weights "$work/numpy.safetensors" --skip-mismatch \
  --validation-split 0 --optimizer sgd --lr 1e-12 --save "$work/w4.safetensors"
holds "every layer matched" grep -q "Loaded the weights of conv2d, conv2d_1, dense, dense_1 from" "$work/out"
expect_error "resume from another tool's file" "written by another tool, not a training state" \
  "$trainer" train --data "$data" --resume "$work/numpy.safetensors"

check "evaluate with preprocess_input tf" "$trainer" evaluate --data "$data" \
  --weights "$work/w.safetensors" --preprocess-input tf
expect_error "caffe's preprocessing on grey images" "takes RGB images" \
  "$trainer" evaluate --data "$data" --weights "$work/w.safetensors" --preprocess-input caffe
expect_error "unknown preprocess_input mode" "preprocess-input" \
  "$trainer" evaluate --data "$data" --weights "$work/w.safetensors" --preprocess-input inception
# decode_predictions: each image's top classes with a class index's ids and names.
printf '{%s}' "$(for c in 0 1 2 3 4 5 6 7 8 9; do printf '"%d": ["d%d", "digit_%d"]' $c $c $c; [ $c -lt 9 ] && printf ', '; done)" \
  > "$work/digits.json"
check "predict the top 3" "$trainer" predict --data "$data" --weights "$work/w.safetensors" \
  --count 2 --top 3 --class-index "$work/digits.json"
holds "2 images of 3 classes each" test "$(grep -c '^  [123]\. d[0-9] digit_[0-9] 0\.[0-9]*$' "$work/out")" -eq 6
holds "each image named by its label" grep -q '^image 1 (label digit_[0-9]):$' "$work/out"
# Image files in place of --data: the first two test digits as PNGs, the second at twice the
# size, which the bilinear resize brings back to its very pixels: the same predictions.
check "a digit as a PNG" /usr/bin/python3 "$(dirname "$0")/mnist_png.py" "$data" 0 1 "$work/d0.png"
check "a digit as a PNG twice the size" /usr/bin/python3 "$(dirname "$0")/mnist_png.py" "$data" 1 2 "$work/d1.png"
check "predict the test set's top 3" "$trainer" predict --data "$data" --weights "$work/w.safetensors" --count 2 --top 3
grep '^  [123]\.' "$work/out" > "$work/from_data"
check "predict image files" "$trainer" predict --weights "$work/w.safetensors" --images "$work/d0.png" "$work/d1.png" --top 3
holds "each file named" grep -q "^$work/d1.png:$" "$work/out"
grep '^  [123]\.' "$work/out" > "$work/from_files"
holds "3 classes of each file" test "$(wc -l < "$work/from_files")" -eq 6
holds "the files predict as the test set's images" cmp "$work/from_data" "$work/from_files"
expect_error "predict without data or images" "predict needs --data DIR or --images" \
  "$trainer" predict --weights "$work/w.safetensors"
expect_error "a class index of another size" "1000 classes, but the model predicts 10" \
  "$trainer" predict --data "$data" --weights "$work/w.safetensors" \
  --class-index "$(dirname "$0")/../../../shared/data/imagenet_class_index.json"
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

tally
