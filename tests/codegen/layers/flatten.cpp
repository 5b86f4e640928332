// Flatten: images of several shapes, and an already flat tensor.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Flatten&) {
  return {
      {"4x3x3", {3, 4, 3, 2}, 2, [](Tensor x) { return Flatten{}(conv_before(x)); }},
      {"flat",
       {3, 2, 2, 1},
       1,
       [](Tensor x) { return Flatten{}(Dense{.units = 4, .activation = tanh}(Flatten{}(x))); }},
  };
}

}  // namespace cnn::tests
