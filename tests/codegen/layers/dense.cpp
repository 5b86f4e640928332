// Dense: each activation, with and without bias, after Flatten and after another Dense.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Dense&) {
  return {
      {"relu",
       {3, 3, 3, 2},
       2,
       [](Tensor x) { return Dense{.units = 5, .activation = relu}(Flatten{}(x)); }},
      {"sigmoid then tanh without bias",
       {3, 2, 2, 3},
       3,
       [](Tensor x) {
         x = Dense{.units = 4, .activation = sigmoid}(Flatten{}(x));
         return Dense{.units = 3, .activation = tanh, .use_bias = false}(x);
       }},
      {"softmax",
       {3, 2, 3, 1},
       1,
       [](Tensor x) { return Dense{.units = 4, .activation = softmax}(Flatten{}(x)); }},
  };
}

}  // namespace cnn::tests
