// Saving and loading a model's weights as safetensors: tensors named `<layer>/<kernel|bias|
// gamma|beta|moving_mean|moving_variance>` in Keras's layouts, metadata naming the model,
// its architecture fingerprint and the epoch, and optionally the optimizer's state
// (`optimizer/slot_a`, `optimizer/slot_b`, flat) so that training can resume.
#pragma once

#include <optional>
#include <string>

#include "runtime/model_info.hpp"
#include "runtime/optimizer.hpp"
#include "runtime/weights.hpp"

namespace cnn::runtime {

struct SavedState {
  Weights weights;
  int epoch = 0;
  std::string optimizer;  // empty for a weights-only file
  long long iterations = 0;
  std::vector<float> slot_a, slot_b;
};

void save_checkpoint(const std::string& path, const ModelInfo& model, const Weights& weights,
                     int epoch, const Optimizer* optimizer);

// Refuses a file of another architecture, or one missing a tensor or holding a tensor of
// the wrong shape, with a message naming the file and the tensor.
SavedState load_checkpoint(const std::string& path, const ModelInfo& model);

}  // namespace cnn::runtime
