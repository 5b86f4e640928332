#include "runtime/train/optimizer.hpp"

#include <HalideBuffer.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cnn_adadelta.h"
#include "cnn_adam.h"
#include "cnn_rmsprop.h"
#include "cnn_sgd.h"
#include "runtime/error.hpp"
#include "runtime/model/kernel_errors.hpp"

namespace cnn::runtime {

OptimizerConfig OptimizerConfig::keras_default(const std::string& name,
                                               std::optional<float> learning_rate) {
  OptimizerConfig c;
  c.name = name;
  if (name == "sgd") {
    c.learning_rate = 0.01f;
    c.decay_a = 0.0f;  // momentum
  } else if (name == "rmsprop") {
    c.learning_rate = 0.001f;
    c.decay_a = 0.9f;  // rho
  } else if (name == "adam") {
    c.learning_rate = 0.001f;
    c.decay_a = 0.9f;
    c.decay_b = 0.999f;
  } else if (name == "adadelta") {
    c.learning_rate = 0.001f;
    c.decay_a = 0.95f;  // rho
  } else {
    throw Error(fmt::format("unknown optimizer '{}': choose sgd, rmsprop, adam or adadelta", name));
  }
  if (learning_rate) {
    if (!(*learning_rate > 0.0f))
      throw Error(fmt::format("--lr must be positive, got {}", *learning_rate));
    c.learning_rate = *learning_rate;
  }
  return c;
}

namespace {
// Parameters per call of the trial update: its three results stay in the cache.
constexpr std::size_t kTrialChunk = std::size_t{1} << 17;
// A Halide buffer's extent is an int.
constexpr std::size_t kMaxKernelExtent = std::size_t{1} << 30;
}  // namespace

Optimizer::Optimizer(OptimizerConfig config, const ModelInfo& model) : config_(std::move(config)) {
  OptimizerConfig::keras_default(config_.name);  // validates the name
  capture_kernel_errors();
  const auto n = static_cast<std::size_t>(model.table.params_size);
  parameters_ = n;
  for (const TensorSlot& s : model.table.slots)
    if (!in_state_buffer(s.role))
      tensors_.push_back({s.node, static_cast<std::size_t>(s.offset),
                          static_cast<std::size_t>(s.size),
                          model.nodes[static_cast<std::size_t>(s.node)].trainable});
  trial_.resize(3 * std::min(kTrialChunk, n));
  std::sort(tensors_.begin(), tensors_.end(),
            [](const Tensor& a, const Tensor& b) { return a.offset < b.offset; });
}

void Optimizer::set_trainable(const ModelInfo& model, std::string_view layer, bool on) {
  bool found = false;
  for (Tensor& t : tensors_)
    if (model.nodes[static_cast<std::size_t>(t.node)].name.view() == layer) {
      t.trainable = on;
      found = true;
    }
  if (!found)
    throw Error(
        fmt::format("model {} has no layer '{}' with trainable parameters", model.name, layer));
}

bool Optimizer::trainable(std::size_t offset) const {
  for (const Tensor& t : tensors_)
    if (offset >= t.offset && offset < t.offset + t.size) return t.trainable;
  return false;
}

std::vector<Optimizer::Span> Optimizer::trainable_spans() const {
  std::vector<Span> spans;
  for (const Tensor& t : tensors_) {
    if (!t.trainable || t.size == 0) continue;
    if (!spans.empty() && spans.back().offset + spans.back().size == t.offset)
      spans.back().size += t.size;
    else
      spans.push_back({t.offset, t.size});
  }
  return spans;
}

void Optimizer::allocate_slots() {
  if (slot_a.size() == parameters_ && slot_b.size() == parameters_) return;
  slot_a.assign(parameters_, 0.0f);
  slot_b.assign(parameters_, 0.0f);
}

bool Optimizer::apply(AlignedFloats& params, const AlignedFloats& gradients) {
  using Halide::Runtime::Buffer;
  allocate_slots();
  if (params.size() != slot_a.size() || gradients.size() != slot_a.size())
    throw Error(
        fmt::format("the {} optimizer holds {} parameters but got {} parameters and {} "
                    "gradients",
                    config_.name, slot_a.size(), params.size(), gradients.size()));
  const OptimizerConfig& c = config_;
  auto kernel = c.name == "sgd"       ? cnn_sgd
                : c.name == "rmsprop" ? cnn_rmsprop
                : c.name == "adam"    ? cnn_adam
                                      : cnn_adadelta;
  const auto iteration = static_cast<std::int32_t>(iterations_ + 1);
  // Updates parameters [offset, offset + size) into out_params, out_a and out_b.
  auto update = [&](std::size_t offset, std::size_t size, float* out_params, float* out_a,
                    float* out_b) {
    const int n = static_cast<int>(size);
    Buffer<float> p(params.data() + offset, n), g(const_cast<float*>(gradients.data()) + offset, n),
        a(slot_a.data() + offset, n), b(slot_b.data() + offset, n), np(out_params, n), na(out_a, n),
        nb(out_b, n);
    check_kernel(kernel(p, g, a, b, c.learning_rate, c.decay_a, c.decay_b, c.epsilon, iteration,
                        c.nesterov, np, na, nb),
                 c.name);
  };
  const std::vector<Span> spans = trainable_spans();
  // A NaN or infinity anywhere spreads to everything: a trial run of the whole update, a
  // chunk at a time and stored nowhere, must be finite before anything changes.
  for (const Span& s : spans)
    for (std::size_t at = s.offset; at < s.offset + s.size; at += kTrialChunk) {
      const std::size_t n = std::min(kTrialChunk, s.offset + s.size - at);
      const std::size_t chunk = trial_.size() / 3;
      update(at, n, trial_.data(), trial_.data() + chunk, trial_.data() + 2 * chunk);
      if (!std::all_of(trial_.begin(), trial_.begin() + static_cast<std::ptrdiff_t>(n),
                       [](float v) { return std::isfinite(v); }))
        return false;
    }
  // In place: the kernel's results at an index depend only on its inputs at that index.
  for (const Span& s : spans)
    for (std::size_t at = s.offset; at < s.offset + s.size; at += kMaxKernelExtent) {
      const std::size_t n = std::min(kMaxKernelExtent, s.offset + s.size - at);
      update(at, n, params.data() + at, slot_a.data() + at, slot_b.data() + at);
    }
  iterations_ = iteration;
  return true;
}

}  // namespace cnn::runtime
