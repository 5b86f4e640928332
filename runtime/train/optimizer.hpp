// The optimizers of Keras with its default hyperparameters, run by the generated
// elementwise kernels over the flat parameters: the state (slots) is flat too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/model/checkpoint.hpp"
#include "runtime/model/memory.hpp"
#include "runtime/model/model_info.hpp"

namespace cnn::runtime {

struct OptimizerConfig {
  std::string name = "rmsprop";  // sgd, rmsprop, adam, adadelta
  float learning_rate = 0.001f;
  float decay_a = 0.9f;  // SGD momentum, RMSprop/Adadelta rho, Adam beta_1
  float decay_b = 0.999f;
  float epsilon = 1e-7f;
  bool nesterov = false;

  // Keras's defaults for `name`; `learning_rate`, when given, replaces the default rate.
  static OptimizerConfig keras_default(const std::string& name,
                                       std::optional<float> learning_rate = std::nullopt);
};

class Optimizer {
 public:
  Optimizer(OptimizerConfig config, const ModelInfo& model);

  // params <- update(params, gradients); the slots advance; `iteration` counts from 1.
  // Returns false, changing nothing, when the update would make a parameter non-finite.
  // Frozen layers' parameters and slots stay as they are.
  bool apply(AlignedFloats& params, const AlignedFloats& gradients);

  const OptimizerConfig& config() const { return config_; }
  float learning_rate() const { return config_.learning_rate; }
  void set_learning_rate(float lr) { config_.learning_rate = lr; }
  long long iterations() const { return iterations_; }
  // What a whole-model checkpoint saves of it.
  OptimizerState state() {
    allocate_slots();
    return {config_.name, config_.learning_rate, iterations_, slot_a, slot_b};
  }
  // Fine-tuning: the layer's parameters stop (or start) changing. Throws Error for a layer
  // the model lacks or one without parameters.
  void set_trainable(const ModelInfo& model, std::string_view layer, bool trainable);
  // Whether the optimizer may change the parameter at this offset of the flat parameters.
  bool trainable(std::size_t offset) const;

  // Saved with the model for `train --resume`. Empty until the first update or save, so
  // that evaluating and predicting hold no optimizer state (VGG16's would be 1.1 GB).
  AlignedFloats slot_a, slot_b;
  long long iterations_ = 0;
  // Zero slots, one per parameter, where there are none yet.
  void allocate_slots();

 private:
  struct Tensor {  // a layer's parameter tensor in the flat parameters
    int node;
    std::size_t offset, size;
    bool trainable;
  };
  struct Span {
    std::size_t offset, size;
  };
  // The trainable parameters as runs of adjacent tensors.
  std::vector<Span> trainable_spans() const;

  OptimizerConfig config_;
  std::size_t parameters_ = 0;
  std::vector<Tensor> tensors_;  // by offset
  AlignedFloats trial_;          // a chunk of a trial update: parameters, slot_a, slot_b
};

}  // namespace cnn::runtime
