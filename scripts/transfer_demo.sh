#!/usr/bin/env bash
# Transfer learning and fine-tuning, as the Keras guide does it, with the fashion_cnn trainer:
#   1. train the whole model on MNIST digits: the convolutional base learns strokes;
#   2. on Fashion-MNIST, load the base (conv2d, conv2d_1) by layer name, freeze it, and
#      train a new head (the dense layers start fresh);
#   3. unfreeze everything and fine-tune at a tenth of the learning rate.
# Prints the test accuracy of each stage; files go to runs/transfer/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$root/build/bin/fashion_cnn" ] || bash "$root/scripts/build.sh"
bash "$root/scripts/fetch_mnist.sh" "$root/data/mnist" >/dev/null
fashion=/usr/share/datasets/fashion-mnist
out="$root/runs/transfer"
mkdir -p "$out"
trainer="$root/build/bin/fashion_cnn"
common=(--epochs "${EPOCHS:-3}" --checkpoint "" --early-stopping-patience -1)
accuracy() { grep -o "test accuracy: [0-9.]*" "$1" | tail -1; }

"$trainer" train --data "$root/data/mnist" "${common[@]}" --save "$out/base.safetensors" > "$out/1-base.log"
echo "1. base trained on MNIST:            $(accuracy "$out/1-base.log") (MNIST)"
"$trainer" train --data "$fashion" "${common[@]}" --transfer-from "$out/base.safetensors" \
  --transfer-layers conv2d,conv2d_1 --freeze conv2d,conv2d_1 --save "$out/head.safetensors" > "$out/2-head.log"
echo "2. new head on Fashion, base frozen: $(accuracy "$out/2-head.log") (Fashion-MNIST)"
"$trainer" train --data "$fashion" "${common[@]}" --initial-weights "$out/head.safetensors" \
  --lr 0.0001 --save "$out/finetuned.safetensors" > "$out/3-finetune.log"
echo "3. all layers fine-tuned:            $(accuracy "$out/3-finetune.log") (Fashion-MNIST)"
