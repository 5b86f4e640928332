// Activation: an activation function on its own, elementwise (softmax: over channels).
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

struct Activation {
  static constexpr std::string_view keras_class = "Activation";
  static constexpr std::string_view snake_name = "activation";

  ActivationFn activation = ActivationFn::linear;
  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const { return shaped(in[0]); }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
