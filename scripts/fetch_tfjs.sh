#!/usr/bin/env bash
# Installs TensorFlow.js (npm's @tensorflow/tfjs 4.22.0: pure JavaScript, no native code)
# into DIR (default data/tfjs): the peer the pretrained Keras models are checked against in
# node (tests/e2e/tfjs_agreement.sh). npm checks every package against its lockfile hash.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/../data/tfjs"}
if [ -f "$dir/node_modules/@tensorflow/tfjs/package.json" ] &&
   grep -q '"version": "4.22.0"' "$dir/node_modules/@tensorflow/tfjs/package.json"; then
  echo "TensorFlow.js 4.22.0 already in $dir"
  exit 0
fi
mkdir -p "$dir"
npm install --silent --no-audit --no-fund --prefix "$dir" @tensorflow/tfjs@4.22.0 >/dev/null
echo "TensorFlow.js 4.22.0 installed in $dir"
