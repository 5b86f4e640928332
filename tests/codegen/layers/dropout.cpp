// Dropout: on images and flat tensors, several rates, and rate 0 (the identity).
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Dropout&) {
  return {
      {"image 0.3", {3, 4, 4, 1}, 3, [](Tensor x) { return Dropout{.rate = 0.3}(conv_before(x)); }},
      {"flat 0.5",
       {3, 3, 3, 2},
       2,
       [](Tensor x) {
         return Dropout{.rate = 0.5}(Dense{.units = 6, .activation = relu}(Flatten{}(x)));
       }},
      {"rate 0", {3, 3, 3, 1}, 1, [](Tensor x) { return Dropout{.rate = 0}(conv_before(x)); }},
  };
}

}  // namespace cnn::tests
