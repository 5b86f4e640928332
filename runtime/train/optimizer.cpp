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

Optimizer::Optimizer(OptimizerConfig config, const ModelInfo& model) : config_(std::move(config)) {
  OptimizerConfig::keras_default(config_.name);  // validates the name
  capture_kernel_errors();
  const auto n = static_cast<std::size_t>(model.table.params_size);
  slot_a.assign(n, 0.0f);
  slot_b.assign(n, 0.0f);
  trainable.assign(n, 1.0f);
  for (const TensorSlot& s : model.table.slots)
    if (!in_state_buffer(s.role) && !model.nodes[static_cast<std::size_t>(s.node)].trainable)
      std::fill_n(trainable.begin() + s.offset, s.size, 0.0f);
  next_params_.resize(n);
  next_a_.resize(n);
  next_b_.resize(n);
}

void Optimizer::set_trainable(const ModelInfo& model, std::string_view layer, bool on) {
  bool found = false;
  for (const TensorSlot& s : model.table.slots)
    if (!in_state_buffer(s.role) &&
        model.nodes[static_cast<std::size_t>(s.node)].name.view() == layer) {
      std::fill_n(trainable.begin() + s.offset, s.size, on ? 1.0f : 0.0f);
      found = true;
    }
  if (!found)
    throw Error(
        fmt::format("model {} has no layer '{}' with trainable parameters", model.name, layer));
}

bool Optimizer::apply(std::vector<float>& params, const std::vector<float>& gradients) {
  using Halide::Runtime::Buffer;
  if (params.size() != slot_a.size() || gradients.size() != slot_a.size())
    throw Error(
        fmt::format("the {} optimizer holds {} parameters but got {} parameters and {} "
                    "gradients",
                    config_.name, slot_a.size(), params.size(), gradients.size()));
  const int n = static_cast<int>(params.size());
  Buffer<float> p(params.data(), n), g(const_cast<float*>(gradients.data()), n),
      a(slot_a.data(), n), b(slot_b.data(), n), t(trainable.data(), n), np(next_params_.data(), n),
      na(next_a_.data(), n), nb(next_b_.data(), n);
  ++iterations_;
  const auto it = static_cast<std::int32_t>(iterations_);
  const OptimizerConfig& c = config_;
  auto kernel = c.name == "sgd"       ? cnn_sgd
                : c.name == "rmsprop" ? cnn_rmsprop
                : c.name == "adam"    ? cnn_adam
                                      : cnn_adadelta;
  const int status = kernel(p, g, a, b, t, c.learning_rate, c.decay_a, c.decay_b, c.epsilon, it,
                            c.nesterov, np, na, nb);
  check_kernel(status, c.name);
  // A NaN or infinity anywhere spreads to everything: keep the last good state instead.
  if (!std::all_of(next_params_.begin(), next_params_.end(),
                   [](float v) { return std::isfinite(v); })) {
    --iterations_;
    return false;
  }
  params.swap(next_params_);
  slot_a.swap(next_a_);
  slot_b.swap(next_b_);
  return true;
}

}  // namespace cnn::runtime
