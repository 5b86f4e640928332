// Running a model's generated kernels on given numbers, for the tests.
#pragma once

#include <HalideBuffer.h>

#include <cstdint>
#include <random>
#include <vector>

#include "runtime/model/kernels.hpp"
#include "runtime/model/model_info.hpp"
#include "runtime/model/weights.hpp"

namespace cnn::tests {

struct Batch {
  int size = 0;
  std::vector<float> images;   // NHWC
  std::vector<float> targets;  // n x classes, one-hot
  std::vector<std::uint8_t> labels;
};

struct KernelStep {
  float loss = 0;
  int correct = 0;
  std::vector<float> gradients, new_state;
};

inline Batch random_batch(const runtime::ModelInfo& m, int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  Batch b;
  b.size = n;
  const Shape s = m.input_shape();
  b.images.resize(static_cast<std::size_t>(n) * s.height * s.width * s.channels);
  for (float& v : b.images) v = pixel(rng);
  b.targets.assign(static_cast<std::size_t>(n) * m.classes(), 0.0f);
  for (int i = 0; i < n; ++i) {
    const auto label = static_cast<std::uint8_t>(rng() % static_cast<unsigned>(m.classes()));
    b.labels.push_back(label);
    b.targets[static_cast<std::size_t>(i * m.classes() + label)] = 1.0f;
  }
  return b;
}

// Weights away from their initial values: non-zero biases and betas, gammas around 1,
// moving statistics that differ from (0, 1), so that every term of every rule matters.
inline runtime::Weights random_weights(const runtime::ModelInfo& m, std::uint64_t seed) {
  runtime::Weights w = runtime::initial_weights(m, seed);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<float> u(-0.3f, 0.3f);
  for (const TensorSlot& s : m.table.slots) {
    auto t = runtime::tensor_of(w, s);
    for (float& v : t) {
      switch (s.role) {
        case TensorRole::kernel: v = v * 2.0f + u(rng) * 0.2f; break;
        case TensorRole::gamma:
        case TensorRole::moving_variance: v = 1.0f + u(rng); break;
        case TensorRole::bias:
        case TensorRole::beta:
        case TensorRole::moving_mean: v = u(rng); break;
      }
    }
  }
  return w;
}

// Samples [begin, end) of a batch.
inline Batch slice(const runtime::ModelInfo& m, const Batch& b, int begin, int end) {
  const Shape s = m.input_shape();
  const auto pixels = static_cast<std::size_t>(s.height * s.width * s.channels);
  const auto classes = static_cast<std::size_t>(m.classes());
  const auto first = static_cast<std::size_t>(begin), last = static_cast<std::size_t>(end);
  Batch part;
  part.size = end - begin;
  part.images.assign(b.images.begin() + first * pixels, b.images.begin() + last * pixels);
  part.targets.assign(b.targets.begin() + first * classes, b.targets.begin() + last * classes);
  part.labels.assign(b.labels.begin() + begin, b.labels.begin() + end);
  return part;
}

// `first_sample`: where `b` starts in the global batch of a data-parallel step.
inline KernelStep run_train_step(const runtime::ModelInfo& m, const runtime::ModelKernels& k,
                                 const runtime::Weights& w, const Batch& b, std::int32_t seed,
                                 std::int32_t step, std::int32_t first_sample = 0) {
  using Halide::Runtime::Buffer;
  const Shape s = m.input_shape();
  KernelStep r;
  r.gradients.resize(w.params.size());
  r.new_state.resize(w.state.size());
  auto images =
      Buffer<float>(const_cast<float*>(b.images.data()), {s.channels, s.width, s.height, b.size});
  auto targets = Buffer<float>(const_cast<float*>(b.targets.data()), {m.classes(), b.size});
  auto params =
      Buffer<float>(const_cast<float*>(w.params.data()), static_cast<int>(w.params.size()));
  auto state = Buffer<float>(const_cast<float*>(w.state.data()), static_cast<int>(w.state.size()));
  auto grads = Buffer<float>(r.gradients.data(), static_cast<int>(r.gradients.size()));
  auto new_state = Buffer<float>(r.new_state.data(), static_cast<int>(r.new_state.size()));
  auto loss = Buffer<float>::make_scalar();
  auto correct = Buffer<std::int32_t>::make_scalar();
  if (k.train_step(images, targets, params, state, seed, step, first_sample, grads, new_state, loss,
                   correct) != 0)
    throw std::runtime_error("train step kernel failed");
  r.loss = loss();
  r.correct = correct();
  return r;
}

inline std::vector<float> run_inference(const runtime::ModelInfo& m, const runtime::ModelKernels& k,
                                        const runtime::Weights& w, const Batch& b) {
  using Halide::Runtime::Buffer;
  const Shape s = m.input_shape();
  std::vector<float> p(static_cast<std::size_t>(b.size) * m.classes());
  auto images =
      Buffer<float>(const_cast<float*>(b.images.data()), {s.channels, s.width, s.height, b.size});
  auto params =
      Buffer<float>(const_cast<float*>(w.params.data()), static_cast<int>(w.params.size()));
  auto state = Buffer<float>(const_cast<float*>(w.state.data()), static_cast<int>(w.state.size()));
  auto out = Buffer<float>(p.data(), {m.classes(), b.size});
  if (k.inference(images, params, state, out) != 0)
    throw std::runtime_error("inference kernel failed");
  return p;
}

}  // namespace cnn::tests
