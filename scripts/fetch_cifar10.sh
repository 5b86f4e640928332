#!/usr/bin/env bash
# Unpacks the CIFAR-10 JPEG copy (../shared/data/cifar10-jpeg.tar.gz beside the project, or
# the archive given as $2) into DIR (default data/cifar10-jpeg: train/<class>/*.jpg,
# test/<class>/*.jpg) after checking its sha256 (from shared/data/README.md). Does nothing
# when DIR already holds all 60,000 images.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/../data/cifar10-jpeg"}
archive=${2:-"$here/../../shared/data/cifar10-jpeg.tar.gz"}
sha256=23f88bfe53fbfc9f4f67bd2d3df9256c3daf93811b338151df637ddc19c7bcce
if [ -d "$dir/train" ] && [ "$(find "$dir" -name '*.jpg' | wc -l)" -eq 60000 ]; then
  echo "CIFAR-10 already in $dir"
  exit 0
fi
if [ ! -f "$archive" ]; then
  echo "$archive: not found (the CIFAR-10 JPEG archive of ../shared/data)" >&2
  exit 1
fi
if ! echo "$sha256  $archive" | sha256sum --quiet -c -; then
  echo "$archive does not match its sha256 sum" >&2
  exit 1
fi
mkdir -p "$(dirname "$dir")"
tmp=$(mktemp -d "$(dirname "$dir")/.cifar10.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tar xzf "$archive" -C "$tmp"
rm -rf "$dir"
mv "$tmp/cifar10-jpeg" "$dir"
echo "CIFAR-10 verified and unpacked in $dir"
