#!/usr/bin/env bash
# The InceptionV3 fine-tuning tutorial on three CIFAR-10 classes, twice: from pretrained
# weights (nsfwjs' Keras 2.2.4 InceptionV3, scripts/fetch_nsfwjs.sh, loaded by layer name;
# its head is ours and starts fresh) and from random ones, with the same recipe
# (examples/inception_v3_finetune_recipe.hpp: first 213 layers frozen, Adam 1e-3, 'tf'
# preprocessing; the 32x32 images resized to 299x299 as Keras's image_size does).
# Prints each run's test accuracy and time; files go to runs/finetune_inception_v3/.
# Environment: PER_CLASS (training images per class, 200), TEST_PER_CLASS (100), EPOCHS (5),
# CLASSES (airplane,cat,ship), BUILD (build), RECOMPUTED (1: a third run, pretrained with the
# frozen base computed at every step, --cache-frozen-base false, to time what caching saves).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/${BUILD:-build}"
trainer="$build/bin/inception_v3_finetune"
[ -x "$trainer" ] || cmake --build "$build" --target inception_v3_finetune
bash "$root/scripts/fetch_nsfwjs.sh" >/dev/null
bash "$root/scripts/fetch_cifar10.sh" >/dev/null
cifar="$root/data/cifar10-jpeg"
out="$root/runs/finetune_inception_v3"
rm -rf "$out/data"
mkdir -p "$out/data"
IFS=, read -r -a classes <<< "${CLASSES:-airplane,cat,ship}"
for class in "${classes[@]}"; do
  for split in train:"${PER_CLASS:-200}" test:"${TEST_PER_CLASS:-100}"; do
    name=${split%%:*} count=${split##*:}
    mkdir -p "$out/data/$name/$class"
    mapfile -t files < <(find "$cifar/$name/$class" -name '*.jpg' | sort)
    cp -t "$out/data/$name/$class" "${files[@]:0:count}"
  done
done

run() {  # name, flags...
  local name=$1; shift
  local start=$SECONDS
  "$trainer" train --data "$out/data" --epochs "${EPOCHS:-5}" --checkpoint "" --seed 1 \
    --metrics-json "$out/$name.json" "$@" > "$out/$name.log"
  printf "%-11s %s, %d s (%s)\n" "$name:" "$(grep -o 'test accuracy: [0-9.]*' "$out/$name.log")" \
    $((SECONDS - start)) "$(grep -o '[0-9]*ms/step' "$out/$name.log" | tail -1)"
}
echo "InceptionV3 fine-tuned on ${classes[*]} ($(lscpu | sed -n 's/^Model name: *//p'))"
run pretrained --transfer-from "$root/data/nsfwjs/inception_v3/model.json"
run random
[ "${RECOMPUTED:-0}" = 1 ] && run recomputed --cache-frozen-base false \
  --transfer-from "$root/data/nsfwjs/inception_v3/model.json"
exit 0
