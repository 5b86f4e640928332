// Throughput of one model's generated kernels (the model is chosen at build time, see
// bench/CMakeLists.txt): training images per second (training step and optimizer update),
// inference images per second at batch 128, batch-1 latency, and the process's peak
// resident memory. Synthetic data: the kernels' speed does not depend on the pixels.
// Usage: NAME_throughput THREADS BATCH STEPS OPTIMIZER [train-only|infer-only]; prints one
// JSON object. For the applications, whose steps take seconds: train-only measures the
// training step alone, infer-only inference alone at BATCH over STEPS batches (for a model
// built without its training step, the only mode); the figures not measured are null.
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
#ifdef CNN_BENCH_INFERENCE_ONLY
#define CNN_BENCH_TRAIN_STEP nullptr
#else
#include CNN_BENCH_TRAIN_STEP_HEADER
#endif
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
  const std::string mode = argc > 5 ? argv[5] : "both";
  if (mode != "both" && mode != "train-only" && mode != "infer-only") {
    fmt::print(stderr, "throughput: unknown mode '{}' (train-only or infer-only)\n", mode);
    return 2;
  }
  const bool train = mode != "infer-only", infer = mode != "train-only";
  halide_set_num_threads(threads);
  keep_freed_memory_for_reuse();
  select_cpu_variant();  // CNN_MAX_CPU_ISA applies here too

  const ModelInfo model = ModelInfo::of(CNN_BENCH_MODEL);
  const ModelKernels kernels{CNN_BENCH_INFERENCE, CNN_BENCH_TRAIN_STEP};
  if (train && !kernels.train_step) {
    fmt::print(stderr, "throughput: {} was built without its training step: run infer-only\n",
               model.name);
    return 2;
  }
  const Shape s = model.input_shape();
  Dataset data;
  data.height = s.height;
  data.width = s.width;
  data.channels = s.channels;
  data.classes = model.classes();
  // Four batches for the applications, as bench/pytorch_applications.py holds (the data
  // counts in the peak memory); eight of at least 128 images for the tutorials' models.
  const int batches = mode == "both" ? 8 : 4;
  const std::size_t samples =
      static_cast<std::size_t>(mode == "both" ? std::max(batch, 128) : batch) *
      static_cast<std::size_t>(batches);
  std::mt19937 rng(1);
  data.pixels.resize(samples * data.image_elements());
  for (float& p : data.pixels) p = static_cast<float>(rng() % 256) / 255.0f;
  for (std::size_t i = 0; i < samples; ++i)
    data.labels.push_back(static_cast<std::uint8_t>(rng() % static_cast<unsigned>(data.classes)));

  Trainer trainer(model, kernels, initial_weights(model, 1),
                  Optimizer(OptimizerConfig::keras_default(optimizer), model));
  const auto order = epoch_order(samples, 1, 0, true);
  auto step = [&](int i) {
    const std::size_t begin =
        static_cast<std::size_t>(i % batches) * static_cast<std::size_t>(batch);
    trainer.train_step(data, order, begin, begin + static_cast<std::size_t>(batch), 1);
  };
  std::vector<double> train_runs;  // five runs of a fifth of the steps each
  std::string train_rate = "null", train_spread = "null";
  if (train) {
    for (int i = 0; i < 5; ++i) step(i);  // warm up
    for (int r = 0; r < 5; ++r)
      train_runs.push_back(seconds([&] {
                             for (int i = 0; i < steps / 5; ++i) step(i);
                           }) /
                           (steps / 5));
    train_rate = fmt::format("{:.2f}", batch / median(train_runs));
    train_spread = fmt::format("{:.3f}", spread(train_runs));
  }

  std::vector<double> infer_runs, latency_runs;
  std::string infer_rate = "null", infer_spread = "null", latency = "null";
  if (infer) {
    // The tutorials' models at batch 128, ten batches a run; the applications at BATCH.
    const std::size_t infer_batch = mode == "both" ? 128 : static_cast<std::size_t>(batch);
    const int per_run = mode == "both" ? 10 : std::max(1, steps / 5);
    auto predict = [&](int i) {
      trainer.predict(data, static_cast<std::size_t>(i % batches) * infer_batch, infer_batch,
                      infer_batch);
    };
    for (int i = 0; i < (mode == "both" ? 3 : 1); ++i) predict(i);
    for (int r = 0; r < 5; ++r)
      infer_runs.push_back(seconds([&] {
                             for (int i = 0; i < per_run; ++i) predict(i);
                           }) /
                           per_run);
    infer_rate = fmt::format("{:.2f}", static_cast<double>(infer_batch) / median(infer_runs));
    infer_spread = fmt::format("{:.3f}", spread(infer_runs));
  }
  if (mode == "both") {
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
  }

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  long long macs = 0;
  for (const Node& n : model.nodes) macs += n.macs;
  const auto ran = dispatched_variant();
  // Direct-convolution equivalents: a multiply-add is 2 flops, and training does the
  // forward pass, the gradient of the data and that of the weights: 3 times the forward's.
  fmt::print(
      "{{\"impl\": \"{}\", \"model\": \"{}\", \"threads\": {}, \"batch\": {}, "
      "\"train_images_per_second\": {}, \"train_spread\": {}, "
      "\"infer_images_per_second\": {}, \"infer_spread\": {}, \"latency_ms\": {}, "
      "\"peak_rss_mb\": {:.1f}, \"train_flop_per_image\": {}, \"infer_flop_per_image\": {}, "
      "\"cpu_variant\": \"{}\"}}\n",
      CNN_BENCH_SCHEDULE, model.name, threads, batch, train_rate, train_spread, infer_rate,
      infer_spread, latency, usage.ru_maxrss / 1024.0, 6 * macs, 2 * macs,
      ran ? isa_name(*ran) : "host");
  return 0;
}
