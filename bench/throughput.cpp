// Throughput of one model's generated kernels (the model is chosen at build time, see
// bench/CMakeLists.txt): training images per second (training step and optimizer update),
// inference images per second at batch 128, batch-1 latency, and the process's peak
// resident memory. Synthetic data: the kernels' speed does not depend on the pixels.
// Usage: NAME_throughput THREADS BATCH STEPS OPTIMIZER [train-only]; prints one JSON object
// (train-only: the training step alone, for the applications, whose inference at batch 128
// would take minutes; the inference figures are then null).
#include <HalideRuntime.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include CNN_BENCH_MODEL_HEADER
#include CNN_BENCH_INFERENCE_HEADER
#include CNN_BENCH_TRAIN_STEP_HEADER
#include "runtime/error.hpp"
#include "runtime/model/cpu_variant.hpp"
#include "runtime/model/memory.hpp"
#include "runtime/train/trainer.hpp"

using namespace cnn;
using namespace cnn::runtime;

#ifndef CNN_BENCH_SCHEDULE
#define CNN_BENCH_SCHEDULE "ours"  // codegen/schedule_cpu.cpp, or an autoscheduler's name
#endif

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double spread(const std::vector<double>& v) {
  return (*std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end())) /
         median(v);
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
  const int steps = std::max(5, argc > 3 ? std::atoi(argv[3]) : 60);
  const std::string optimizer = argc > 4 ? argv[4] : "rmsprop";
  const bool train_only = argc > 5 && std::string(argv[5]) == "train-only";
  halide_set_num_threads(threads);
  keep_freed_memory_for_reuse();
  select_cpu_variant();  // CNN_MAX_CPU_ISA applies here too

  const ModelInfo model = ModelInfo::of(CNN_BENCH_MODEL);
  const ModelKernels kernels{CNN_BENCH_INFERENCE, CNN_BENCH_TRAIN_STEP};
  const Shape s = model.input_shape();
  Dataset data;
  data.height = s.height;
  data.width = s.width;
  data.channels = s.channels;
  data.classes = model.classes();
  const std::size_t samples =
      static_cast<std::size_t>(train_only ? batch : std::max(batch, 128)) * 8;
  std::mt19937 rng(1);
  data.pixels.resize(samples * data.image_elements());
  for (float& p : data.pixels) p = static_cast<float>(rng() % 256) / 255.0f;
  for (std::size_t i = 0; i < samples; ++i)
    data.labels.push_back(static_cast<std::uint8_t>(rng() % static_cast<unsigned>(data.classes)));

  Trainer trainer(model, kernels, initial_weights(model, 1),
                  Optimizer(OptimizerConfig::keras_default(optimizer), model));
  const auto order = epoch_order(samples, 1, 0, true);
  auto step = [&](int i) {
    const std::size_t begin = static_cast<std::size_t>(i % 8) * static_cast<std::size_t>(batch);
    trainer.train_step(data, order, begin, begin + static_cast<std::size_t>(batch), 1);
  };
  for (int i = 0; i < 5; ++i) step(i);  // warm up
  std::vector<double> train_runs;       // five runs of a fifth of the steps each
  for (int r = 0; r < 5; ++r)
    train_runs.push_back(seconds([&] {
                           for (int i = 0; i < steps / 5; ++i) step(i);
                         }) /
                         (steps / 5));

  std::vector<double> infer_runs, latency_runs;
  std::string infer = "null", infer_spread = "null", latency = "null";
  if (!train_only) {
    for (int i = 0; i < 3; ++i) trainer.predict(data, 0, 128, 128);
    for (int r = 0; r < 5; ++r)
      infer_runs.push_back(seconds([&] {
                             for (int i = 0; i < 10; ++i) trainer.predict(data, 0, 128, 128);
                           }) /
                           10);
    try {  // an autoscheduled kernel may be tiled for large batches only
      for (int i = 0; i < 20; ++i) trainer.predict(data, 0, 1, 1);
      for (int r = 0; r < 5; ++r)
        latency_runs.push_back(seconds([&] {
                                 for (int i = 0; i < 200; ++i)
                                   trainer.predict(data, static_cast<std::size_t>(i) % samples, 1,
                                                   1);
                               }) /
                               200);
      latency = fmt::format("{:.3f}", median(latency_runs) * 1000);
    } catch (const cnn::runtime::Error& e) {
      fmt::print(stderr, "batch-1 latency not measured: {}\n", e.what());
    }
    infer = fmt::format("{:.1f}", 128 / median(infer_runs));
    infer_spread = fmt::format("{:.3f}", spread(infer_runs));
  }

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double step_s = median(train_runs);
  long long macs = 0;
  for (const Node& n : model.nodes) macs += n.macs;
  const auto ran = dispatched_variant();
  // Direct-convolution equivalents: a multiply-add is 2 flops, and training does the
  // forward pass, the gradient of the data and that of the weights: 3 times the forward's.
  fmt::print(
      "{{\"impl\": \"{}\", \"model\": \"{}\", \"threads\": {}, \"batch\": {}, "
      "\"train_images_per_second\": {:.1f}, \"train_spread\": {:.3f}, "
      "\"infer_images_per_second\": {}, \"infer_spread\": {}, \"latency_ms\": {}, "
      "\"peak_rss_mb\": {:.1f}, \"train_flop_per_image\": {}, \"infer_flop_per_image\": {}, "
      "\"cpu_variant\": \"{}\"}}\n",
      CNN_BENCH_SCHEDULE, model.name, threads, batch, batch / step_s, spread(train_runs), infer,
      infer_spread, latency, usage.ru_maxrss / 1024.0, 6 * macs, 2 * macs,
      ran ? isa_name(*ran) : "host");
  return 0;
}
