// The CUDA training step against the CPU one on the same inputs (gradients within 1e-4
// relative), and the CUDA step's throughput. Self-contained (Halide's runtime only), so
// that it runs on a GPU machine without the build's libraries. Exit status 0 on a match.
// Usage: gpu_check [batch] [steps]
#include <HalideBuffer.h>
#include <HalideRuntime.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "mnist_cnn_inference.h"
#include "mnist_cnn_inference_cuda.h"
#include "mnist_cnn_train_step.h"
#include "mnist_cnn_train_step_cuda.h"

using Halide::Runtime::Buffer;

int main(int argc, char** argv) {
  const int batch = argc > 1 ? std::atoi(argv[1]) : 128;
  const int steps = argc > 2 ? std::atoi(argv[2]) : 50;
  const int params_size = 1199882;
  Buffer<float> images(1, 28, 28, batch), targets(10, batch), params(params_size), state(1);
  unsigned seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) / 16777216.0f;
  };
  images.for_each_value([&](float& v) { v = next(); });
  targets.fill(0.0f);
  for (int n = 0; n < batch; ++n) targets(static_cast<int>(next() * 10) % 10, n) = 1.0f;
  params.for_each_value([&](float& v) { v = (next() - 0.5f) * 0.05f; });
  state.fill(0.0f);

  auto run = [&](auto kernel, Buffer<float>& grads, float& loss_out) {
    Buffer<float> new_state(1);
    auto loss = Buffer<float>::make_scalar();
    auto correct = Buffer<int>::make_scalar();
    const int status =
        kernel(images, targets, params, state, 7, 3, 0, grads, new_state, loss, correct);
    grads.copy_to_host();
    loss.copy_to_host();
    loss_out = loss();
    return status;
  };
  // Inference first: it tells a forward fault from a backward one.
  Buffer<float> cpu_probs(10, batch), gpu_probs(10, batch);
  if (mnist_cnn_inference(images, params, state, cpu_probs) != 0 ||
      mnist_cnn_inference_cuda(images, params, state, gpu_probs) != 0)
    return 2;
  gpu_probs.copy_to_host();
  double probs_diff = 0;
  for (int n = 0; n < batch; ++n)
    for (int k = 0; k < 10; ++k)
      probs_diff = std::max(probs_diff, double(std::abs(gpu_probs(k, n) - cpu_probs(k, n))));
  std::printf("inference: largest probability difference %.3g (cpu p[0][0] %.5f, gpu %.5f)\n",
              probs_diff, cpu_probs(0, 0), gpu_probs(0, 0));

  Buffer<float> cpu_grads(params_size), gpu_grads(params_size);
  float cpu_loss = 0, gpu_loss = 0;
  if (run(mnist_cnn_train_step, cpu_grads, cpu_loss) != 0) return 2;
  if (run(mnist_cnn_train_step_cuda, gpu_grads, gpu_loss) != 0) {
    std::printf("the CUDA kernel failed (no GPU or driver?)\n");
    return 2;
  }
  double diff = 0, norm = 0;
  for (int i = 0; i < params_size; ++i) {
    diff += std::pow(double(gpu_grads(i)) - cpu_grads(i), 2);
    norm += std::pow(double(cpu_grads(i)), 2);
  }
  const double rel = std::sqrt(diff / norm);
  std::printf("loss cpu %.6f gpu %.6f; gradients relative difference %.3g\n", cpu_loss, gpu_loss,
              rel);

  // Throughput: inputs stay on the device between steps, as a GPU trainer would keep them.
  Buffer<float> new_state(1);
  auto loss = Buffer<float>::make_scalar();
  auto correct = Buffer<int>::make_scalar();
  for (int i = 0; i < 5; ++i)
    mnist_cnn_train_step_cuda(images, targets, params, state, 7, i, 0, gpu_grads, new_state, loss,
                              correct);
  gpu_grads.device_sync();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i)
    mnist_cnn_train_step_cuda(images, targets, params, state, 7, i, 0, gpu_grads, new_state, loss,
                              correct);
  gpu_grads.device_sync();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double images_per_second = steps * batch / s;
  // 71.6 MFLOP per training image (forward 2 x 12.0 M MAC, backward twice that).
  std::printf("cuda training step: %.1f ms, %.0f images/s, %.2f TFLOP/s\n", s / steps * 1000,
              images_per_second, images_per_second * 71.6e6 / 1e12);
  const bool match = std::abs(gpu_loss - cpu_loss) <= 1e-4 * std::abs(cpu_loss) && rel <= 1e-4;
  std::printf("%s\n", match ? "1 passed, 0 failed" : "0 passed, 1 failed");
  return match ? 0 : 1;
}
