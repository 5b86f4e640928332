// Each layer kind tested alone, as dlib's test_layer does: small models around one layer of
// the kind, in several shapes, strides, paddings and batch sizes. Each registered kind
// defines layer_cases() for its struct in tests/codegen/layers/<kind>.cpp; test_layers.cpp
// runs every kind's cases (forward against the reference, backward against the reference
// and against finite differences), so that registering a kind without cases does not link.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dsl/dsl.hpp"

namespace cnn::tests {

struct LayerCase {
  std::string label;
  Shape input;  // the image the model takes
  int batch = 2;
  // From the model's input to the output of the layer under test (with whatever must sit
  // before it: a Conv2D ahead of a layer without parameters, so that its gradient counts).
  std::function<Tensor(Tensor)> body;
};

#define CNN_DECLARE_LAYER_CASES(Type, member) std::vector<LayerCase> layer_cases(const Type&);
CNN_LAYER_KINDS(CNN_DECLARE_LAYER_CASES)
#undef CNN_DECLARE_LAYER_CASES

// A Conv2D that gives the layer under test a trainable input of `filters` channels.
inline Tensor conv_before(Tensor x, int filters = 3) {
  return Conv2D{.filters = filters, .kernel_size = 3, .padding = same, .activation = tanh}(x);
}

}  // namespace cnn::tests
