#!/usr/bin/env bash
# Fetches a real pretrained Keras model (npm package nsfwjs 4.4.0, MIT): a Keras 2.2.4
# InceptionV3 (keras.applications' layers 0-310, then a small 5-class head) as a
# TensorFlow.js layers model, and unwraps its browserify bundles into TF.js's own layout:
# DIR/model.json and DIR/group1-shardNof6.bin (default data/nsfwjs/inception_v3). npm checks
# the package against the registry's sha512; we check the tarball's sha256 as well.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/../data/nsfwjs/inception_v3"}
expected_tgz=585cd178f3b994337c4d10a87b080d342fc52f8b9bf0085c4d1f345a3a1c5382
if [ -f "$dir/model.json" ] && [ -f "$dir/group1-shard6of6.bin" ] && [ -f "$dir/.sha256" ] &&
   (cd "$dir" && sha256sum --quiet -c .sha256) >/dev/null 2>&1; then
  echo "nsfwjs' InceptionV3 already in $dir"
  exit 0
fi
command -v node >/dev/null || { echo "node is needed to unwrap the model (apt-get install nodejs)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent nsfwjs@4.4.0 >/dev/null)
echo "$expected_tgz  $tmp/nsfwjs-4.4.0.tgz" | sha256sum --quiet -c - ||
  { echo "nsfwjs-4.4.0.tgz does not match its sha256" >&2; exit 1; }
tar xzf "$tmp/nsfwjs-4.4.0.tgz" -C "$tmp"
mkdir -p "$dir"
# The bundles are browserify-wrapped: require() gives the model JSON and each shard's base64.
node - "$tmp/package/dist/models/inception_v3" "$dir" <<'JS'
const fs = require("fs"), path = require("path");
const [src, dst] = process.argv.slice(2);
const model = require(path.join(src, "model.min.js"));
for (const group of model.weightsManifest) {
  group.paths = group.paths.map((p) => {
    const bytes = Buffer.from(require(path.join(src, p + ".min.js")), "base64");
    fs.writeFileSync(path.join(dst, p + ".bin"), bytes);
    return p + ".bin";
  });
}
model.format = "layers-model";
model.convertedBy = "scripts/fetch_nsfwjs.sh, from nsfwjs 4.4.0's bundles";
fs.writeFileSync(path.join(dst, "model.json"), JSON.stringify(model));
JS
(cd "$dir" && sha256sum model.json group1-shard*of6.bin >.sha256)
echo "nsfwjs' InceptionV3 unwrapped into $dir"
