// An independent reference for the generated kernels: every layer's forward and backward
// written as plain loops in double precision over NHWC arrays, straight from Keras's
// definitions. It shares nothing with codegen/ but the model description and the parameter
// table (the weights' layout is part of the contract being tested).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "runtime/model/model_info.hpp"

namespace cnn::reference {

struct StepResult {
  double loss = 0;  // mean cross-entropy
  int correct = 0;
  std::vector<double> gradients;  // like params
  std::vector<double> new_state;  // like state
};

// One training step: forward with batch statistics and dropout drawn exactly as the
// kernels draw it (seed, step), softmax cross-entropy against `targets` (n x classes), and
// the gradient of the loss with respect to every parameter.
StepResult train_step(const runtime::ModelInfo& model, std::span<const float> params,
                      std::span<const float> state, const std::vector<float>& images,
                      const std::vector<float>& targets, int batch, std::int32_t seed,
                      std::int32_t step);

// Inference: class probabilities (n x classes), moving statistics, no dropout.
std::vector<double> infer(const runtime::ModelInfo& model, std::span<const float> params,
                          std::span<const float> state, const std::vector<float>& images,
                          int batch);

// The kernels' dropout draw, uniform in [0, 1), rewritten from its definition.
float uniform_random(std::int32_t seed, std::int32_t step, int stream, std::uint32_t index);

}  // namespace cnn::reference
