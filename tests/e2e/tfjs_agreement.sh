#!/usr/bin/env bash
# A real pretrained Keras model (nsfwjs' InceptionV3, scripts/fetch_nsfwjs.sh), its uint8
# weights loaded from the TF.js files, against TensorFlow.js itself (scripts/fetch_tfjs.sh)
# on the same inputs: every class probability within 1e-4.
# Usage: tfjs_agreement.sh NSFWJS_TRAINER MODEL_DIR TFJS_DIR [IMAGES]
set -u
trainer=$(realpath "$1")
model=$(realpath "$2")/model.json
tfjs=$(realpath "$3")/node_modules
images=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/checks.sh"

# Photo-like inputs, the same pixels for both: smooth colour fields with edges and noise,
# as PNG for the trainer and as float32 / 255 (nsfwjs' scaling, ours too) for TF.js.
check "make the inputs" /usr/bin/python3 - "$work" "$images" <<'PY'
import sys
import numpy as np
from PIL import Image
work, count = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(299)
y, x = np.mgrid[0:299, 0:299] / 298.0
for k in range(count):
    a, b, c = rng.uniform(0, 6, 3)
    rgb = np.stack([np.sin(a * x + b * y), np.cos(b * x * y * 3 + c), (x > 0.3 + 0.1 * k) * 1.0], -1)
    rgb = (rgb - rgb.min()) / (np.ptp(rgb) + 1e-9) * 200 + rng.normal(0, 20, rgb.shape)
    pixels = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    Image.fromarray(pixels).save(f"{work}/image_{k}.png")
    (pixels.astype(np.float32) / 255).tofile(f"{work}/image_{k}.f32")
PY
pngs=() f32s=()
for ((k = 0; k < images; k++)); do pngs+=("$work/image_$k.png"); f32s+=("$work/image_$k.f32"); done
check "ours predicts" "$trainer" predict --weights "$model" --images "${pngs[@]}" \
  --save-probabilities "$work/ours.csv" --top 5
check "TensorFlow.js predicts" node "$(dirname "$0")/tfjs_predict.js" "$tfjs" "$model" "${f32s[@]}"
cp "$work/out" "$work/theirs.jsonl"
check "every probability within 1e-4" /usr/bin/python3 - "$work/ours.csv" "$work/theirs.jsonl" <<'PY'
import csv, json, sys
ours = [[float(v) for v in row[1:]] for row in list(csv.reader(open(sys.argv[1])))[1:]]
theirs = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
assert len(ours) == len(theirs) > 0, (len(ours), len(theirs))
worst = max(abs(a - b) for o, t in zip(ours, theirs) for a, b in zip(o, t))
print(f"{len(ours)} images, {len(ours[0])} classes: largest difference {worst:.2e}")
for o, t in zip(ours, theirs):
    print("ours  ", " ".join(f"{v:.6f}" for v in o))
    print("tfjs  ", " ".join(f"{v:.6f}" for v in t))
sys.exit(0 if worst <= 1e-4 else 1)
PY
cat "$work/out"
# Its training step (in segments, add_cnn_model SEGMENTS) from the pretrained weights: one
# step on five folders of these images, a finite loss.
for ((k = 0; k < 5; k++)); do
  mkdir -p "$work/data/train/class_$k"
  cp "${pngs[$((k % images))]}" "$work/data/train/class_$k/"
done
check "one training step from the pretrained weights" "$trainer" train --data "$work/data" \
  --transfer-from "$model" --batch-size 5 --epochs 1 --max-steps 1 --validation-split 0 \
  --save "$work/trained.safetensors"
holds "the step's loss is finite" grep -Eq "loss: [0-9]" "$work/out"
holds "every layer with weights loaded by name, said in one line" \
  grep -q "Loaded the weights of 191 layers (conv2d_1 ... dense_3) from" "$work/out"
tally
