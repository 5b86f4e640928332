#!/usr/bin/env bash
# The whole test suite on a fresh machine: install, build (warnings as errors), fetch MNIST
# and CIFAR-10, run every test (the fuzz targets included); then build again with
# AddressSanitizer and UndefinedBehaviorSanitizer and run the suite once more.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Every C++ file as .clang-format lays it out.
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run --Werror
bash scripts/build.sh -DCNN_WERROR=ON
# The CUDA kernels must keep compiling where there is no GPU.
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DCNN_CUDA=ON -DCNN_BUILD_TESTS=OFF
cmake --build build-cuda --target gpu_check
bash scripts/fetch_mnist.sh data/mnist
bash scripts/fetch_cifar10.sh data/cifar10-jpeg
(cd build && ctest --output-on-failure -j "$(nproc)")
# The suite again under the sanitizers: every unit test and mnist_cnn's trainer end to end
# (the other trainers run the same runtime code; the fuzz targets ran sanitized already;
# this build has one kernel variant, so the variants' test is not for it).
# This build leaves MPI out, so that the single-process build is built and tested too, and
# generates the kernels for this CPU alone (they are not instrumented; one variant is quicker).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release -DCNN_SANITIZE=ON -DCNN_WERROR=ON \
  -DCNN_MPI=OFF -DCNN_CPU_TARGETS=host
cmake --build build-asan --target test_dsl test_codegen test_layers test_runtime test_e2e mnist_cnn
(cd build-asan && ctest --output-on-failure -j "$(nproc)" \
  -E '^(fuzz\.|e2e\.(mnist_bn|fashion_cnn|fashion_aug|cifar_cnn|cifar_deep|lenet5)_|e2e\.fashion_class|e2e\.pytorch_reads|e2e\.cpu_variants)')
