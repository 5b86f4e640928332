#!/usr/bin/env bash
# bench/keras_data.py, which feeds PyTorch in the tutorials' comparison, reads the samples our
# trainers read, in the same order: CIFAR-10's image folders (sorted, shuffled once) and
# cifar_cnn's recipe (both parts pooled and split anew). The labels `predict` lists must be
# the ones keras_data.py gives, sample for sample.
# Usage: same_data.sh CIFAR_DEEP CIFAR_DEEP_WEIGHTS CIFAR_CNN CIFAR_CNN_WEIGHTS CIFAR_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$here/checks.sh"
count=40
ours_labels() {  # trainer weights: the test set's first labels, as predict lists them
  "$1" predict --data "$3" --weights "$2" --count $count | awk 'NR > 1 && NF >= 4 { print $2 }'
}
check "cifar_deep predicts" ours_labels "$1" "$2" "$5"
cp "$work/out" "$work/ours_folder"
check "cifar_cnn predicts" ours_labels "$3" "$4" "$5"
cp "$work/out" "$work/ours_resplit"
check "keras_data.py reads the same data" env PYTHONPATH="$here/../../bench" /usr/bin/python3 -c "
import os, sys, keras_data
train, test = keras_data.load(sys.argv[1])
names = sorted(os.listdir(os.path.join(sys.argv[1], 'test')))
with open(sys.argv[2] + '/py_folder', 'w') as f:
    f.writelines(names[k] + '\n' for k in test[1][:$count])
train, test = keras_data.resplit(train, test, 0.2, 42)
with open(sys.argv[2] + '/py_resplit', 'w') as f:
    f.writelines(names[k] + '\n' for k in test[1][:$count])
" "$5" "$work"
holds "$count labels listed" test "$(wc -l < "$work/ours_folder")" -eq $count
check "the test folder in the same order" diff "$work/ours_folder" "$work/py_folder"
check "the same resplit" diff "$work/ours_resplit" "$work/py_resplit"
tally
