#!/usr/bin/env bash
# Keras's weight files and .keras archives, both ways: files laid out as Keras 2 and
# Keras 3 write them (by h5py and zipfile, step for step as Keras) load and evaluate exactly
# as our own file of the same weights; what we write loads as Keras's loaders read it, bit
# for bit, and our config.json rebuilds the model's graph as functional_from_config walks it.
# Usage: keras_files.sh MNIST_CNN_TRAINER MNIST_DIR
set -u
trainer=$(realpath "$1")
data=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/checks.sh"
keras() { /usr/bin/python3 "$(dirname "$0")/keras_h5.py" "$@"; }
# The tutorial's model as Keras has it: model.layers' classes and names.
classes=Conv2D:conv2d,Conv2D:conv2d_1,MaxPooling2D:max_pooling2d,Dropout:dropout,Flatten:flatten
classes=$classes,Dense:dense,Dropout:dropout_1,Dense:dense_1
run=(--data "$data" --epochs 1 --max-steps 3 --batch-size 32 --validation-split 0 --threads 1
     --save-weights-only)

check "train, saving safetensors" "$trainer" train "${run[@]}" --save "$work/w.safetensors"
check "the same run, saving Keras 2's .h5" "$trainer" train "${run[@]}" --save "$work/w.h5"
check "the same run, saving Keras 3's .weights.h5" "$trainer" train "${run[@]}" \
  --save "$work/w.weights.h5"
check "the same run, saving a .keras archive" "$trainer" train "${run[@]}" --save "$work/w.keras"
check "Keras 2's loader reads our .h5" keras check2 "$work/w.safetensors" "$work/w.h5"
check "Keras 3's loader reads our .weights.h5" keras check3 "$work/w.safetensors" \
  "$work/w.weights.h5" "$classes"

check "evaluate our safetensors" "$trainer" evaluate --data "$data" --weights "$work/w.safetensors"
grep "Test loss" "$work/out" >"$work/expected"
holds "evaluate printed a test loss" test -s "$work/expected"
evaluates_the_same() {  # description, weights file
  check "$1" "$trainer" evaluate --data "$data" --weights "$2"
  holds "$1: same loss and accuracy" diff <(grep "Test loss" "$work/out") "$work/expected"
}
evaluates_the_same "evaluate our .h5" "$work/w.h5"
evaluates_the_same "evaluate our .weights.h5" "$work/w.weights.h5"
evaluates_the_same "evaluate our .keras" "$work/w.keras"
check "Keras 3's load_model reads our .keras: config.json's graph, the weights" \
  keras check_archive "$work/w.safetensors" "$work/w.keras"
check "Keras writes a .keras" keras write_archive "$work/w.safetensors" "$work/k.keras" "$classes"
evaluates_the_same "evaluate Keras's .keras" "$work/k.keras"

check "Keras 2 writes the weights" keras write2 "$work/w.safetensors" "$work/k2.h5"
evaluates_the_same "evaluate Keras 2's file" "$work/k2.h5"
check "Keras 2 writes a whole model" keras write2 "$work/w.safetensors" "$work/whole.h5" --whole-model
evaluates_the_same "evaluate its model_weights" "$work/whole.h5"
check "Keras 2 writes long attributes in chunks" keras write2 "$work/w.safetensors" \
  "$work/chunked.h5" --chunked
evaluates_the_same "evaluate a file of chunked layer_names" "$work/chunked.h5"
check "Keras 3 writes the weights" keras write3 "$work/w.safetensors" "$work/k3.weights.h5" "$classes"
evaluates_the_same "evaluate Keras 3's file" "$work/k3.weights.h5"

# Other layer names: Keras's load_weights goes by order, load_weights(by_name=True) by name.
check "Keras 2 writes other layer names" keras write2 "$work/w.safetensors" "$work/renamed.h5" --rename
evaluates_the_same "by order, other names load" "$work/renamed.h5"
expect_error "by name, other names do not" "shares no layer name" "$trainer" train \
  --data "$data" --max-steps 1 --transfer-from "$work/renamed.h5"
check "by name, the same names do" "$trainer" train --data "$data" --max-steps 1 --epochs 1 \
  --validation-split 0 --transfer-from "$work/k2.h5" --transfer-layers conv2d,dense_1
holds "the named layers loaded" grep -q "Loaded the weights of conv2d, dense_1 from" "$work/out"
check "a Keras file saved whole says it keeps no optimizer state" "$trainer" train --data "$data" \
  --max-steps 1 --epochs 1 --validation-split 0 --save "$work/whole2.h5"
holds "the note names --resume" grep -q "resume needs a .safetensors file" "$work/out"
expect_error "--resume refuses a Keras file" "not a training state" "$trainer" train \
  --data "$data" --resume "$work/whole2.h5"

# A file of another model: one line naming the layer counts, nothing loaded.
check "write a file of a model with one layer fewer" /usr/bin/python3 -c "
import h5py, sys
src, dst = h5py.File(sys.argv[1]), h5py.File(sys.argv[2], 'w')
names = [n for n in src.attrs['layer_names'] if n != b'dense_1']
dst.attrs['layer_names'] = names
for n in names: src.copy(src[n], dst, n.decode())
" "$work/w.h5" "$work/short.h5"
expect_error "a file with a layer fewer is refused" "3 layers with weights; mnist_cnn has 4" \
  "$trainer" evaluate --data "$data" --weights "$work/short.h5"
printf 'not HDF5 at all' >"$work/junk.h5"
expect_error "a .h5 that is not HDF5" "junk.h5: not an HDF5 file" \
  "$trainer" evaluate --data "$data" --weights "$work/junk.h5"
head -c 4000 "$work/w.h5" >"$work/truncated.h5"
expect_error "a truncated .h5" "truncated.h5" "$trainer" evaluate --data "$data" \
  --weights "$work/truncated.h5"
# TensorFlow.js layers models: float32 loads exactly; quantized weights load as TF.js
# decodes them; shards split as the converter splits them.
tfjs() { /usr/bin/python3 "$(dirname "$0")/tfjs_model.py" "$@"; }
check "tfjs' converter writes the weights" tfjs "$work/w.safetensors" "$work/tfjs" --shard-bytes 1000000
evaluates_the_same "evaluate the TF.js model" "$work/tfjs/model.json"
for q in uint8 uint16 float16; do
  check "tfjs' converter quantizes to $q" tfjs "$work/w.safetensors" "$work/tfjs_$q" --quantize $q
  check "train from the $q model" "$trainer" train --data "$data" --epochs 1 --max-steps 1 \
    --initial-weights "$work/tfjs_$q/model.json" --validation-split 0 --optimizer sgd --lr 1e-12 \
    --save "$work/from_$q.safetensors" --save-weights-only
  holds "$q weights load as TF.js decodes them" /usr/bin/python3 "$(dirname "$0")/close_weights.py" \
    "$work/from_$q.safetensors" "$work/tfjs_$q/decoded.safetensors" 1e-6
done
rm "$work/tfjs/group1-shard2.bin"
expect_error "a missing shard" "cannot read shard" "$trainer" evaluate --data "$data" \
  --weights "$work/tfjs/model.json"
sed 's/group1-shard1.bin/..\/..\/w.h5/' "$work/tfjs_uint8/model.json" >"$work/tfjs_uint8/climb.json"
expect_error "a shard path out of the model's directory" "leaves the model's directory" \
  "$trainer" evaluate --data "$data" --weights "$work/tfjs_uint8/climb.json"

check "write a .keras without weights, and a zip bomb" /usr/bin/python3 -c "
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z: z.writestr('config.json', '{}')
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('model.weights.h5', bytes(200 << 20))
" "$work/empty.keras" "$work/bomb.keras"
expect_error "a .keras without weights" "the archive has no model.weights.h5" \
  "$trainer" evaluate --data "$data" --weights "$work/empty.keras"
expect_error "a zip bomb" "a decompression bomb" \
  "$trainer" evaluate --data "$data" --weights "$work/bomb.keras"
head -c 100000 "$work/w.keras" >"$work/truncated.keras"
expect_error "a truncated .keras" "truncated.keras" \
  "$trainer" evaluate --data "$data" --weights "$work/truncated.keras"
tally
