// Throughput of the generated mnist_cnn kernels: training images per second (training step
// and RMSprop update, batch 128), inference images per second at batch 128, and batch-1
// latency. Synthetic data: the kernels' speed does not depend on the pixels.
// Prints one JSON object.
#include <HalideRuntime.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "examples/mnist_cnn.hpp"
#include "mnist_cnn_inference.h"
#include "mnist_cnn_train_step.h"
#include "runtime/memory.hpp"
#include "runtime/trainer.hpp"

using namespace cnn;
using namespace cnn::runtime;

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
template <class F>
double seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 128;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 60;
  halide_set_num_threads(threads);
  keep_freed_memory_for_reuse();

  const ModelInfo model = ModelInfo::of(examples::mnist_cnn);
  const ModelKernels kernels{mnist_cnn_inference, mnist_cnn_train_step};
  Dataset data;
  data.height = data.width = 28;
  data.channels = 1;
  data.classes = 10;
  const std::size_t samples = static_cast<std::size_t>(batch) * 8;
  std::mt19937 rng(1);
  data.pixels.resize(samples * 784);
  for (float& p : data.pixels) p = static_cast<float>(rng() % 256) / 255.0f;
  for (std::size_t i = 0; i < samples; ++i) data.labels.push_back(static_cast<std::uint8_t>(rng() % 10));

  Trainer trainer(model, kernels, initial_weights(model, 1),
                  Optimizer(OptimizerConfig::keras_default("rmsprop"), model));
  const auto order = epoch_order(samples, 1, 0, true);
  auto step = [&](int i) {
    const std::size_t begin = static_cast<std::size_t>(i % 8) * batch;
    trainer.train_step(data, order, begin, begin + batch, 1);
  };
  for (int i = 0; i < 5; ++i) step(i);  // warm up
  std::vector<double> train_runs;
  for (int r = 0; r < 5; ++r)
    train_runs.push_back(seconds([&] { for (int i = 0; i < steps / 5; ++i) step(i); }) / (steps / 5));

  std::vector<double> infer_runs, latency_runs;
  for (int i = 0; i < 3; ++i) trainer.predict(data, 0, 128, 128);
  for (int r = 0; r < 5; ++r)
    infer_runs.push_back(seconds([&] { for (int i = 0; i < 10; ++i) trainer.predict(data, 0, 128, 128); }) / 10);
  for (int i = 0; i < 20; ++i) trainer.predict(data, 0, 1, 1);
  for (int r = 0; r < 5; ++r)
    latency_runs.push_back(seconds([&] { for (int i = 0; i < 200; ++i) trainer.predict(data, i % samples, 1, 1); }) / 200);

  const double step_s = median(train_runs);
  fmt::print("{{\"impl\": \"ours\", \"model\": \"mnist_cnn\", \"threads\": {}, \"batch\": {}, "
             "\"train_images_per_second\": {:.1f}, \"train_spread\": {:.3f}, "
             "\"infer_images_per_second\": {:.1f}, \"latency_ms\": {:.3f}}}\n",
             threads, batch, batch / step_s,
             (*std::max_element(train_runs.begin(), train_runs.end()) -
              *std::min_element(train_runs.begin(), train_runs.end())) / step_s,
             128 / median(infer_runs), median(latency_runs) * 1000);
  return 0;
}
