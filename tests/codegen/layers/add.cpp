// Add: two and three addends, images and flat tensors, an addend read twice.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Add&) {
  return {
      {"two images",
       {3, 4, 4, 2},
       2,
       [](Tensor x) { return Add{}(conv_before(x), conv_before(x)); }},
      {"three, one read twice",
       {3, 3, 3, 1},
       3,
       [](Tensor x) {
         Tensor a = conv_before(x, 2);
         return Add{}(a, conv_before(x, 2), a);
       }},
      {"flat",
       {3, 2, 2, 1},
       1,
       [](Tensor x) {
         Tensor f = Flatten{}(x);
         return Add{}(Dense{.units = 3}(f), Dense{.units = 3, .activation = tanh}(f));
       }},
  };
}

}  // namespace cnn::tests
