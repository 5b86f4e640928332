// Concatenate: inputs of different channel counts, images and flat tensors.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Concatenate&) {
  return {
      {"images of 3 and 2 channels",
       {3, 4, 3, 2},
       2,
       [](Tensor x) { return Concatenate{}(conv_before(x, 3), conv_before(x, 2)); }},
      {"three flat",
       {3, 2, 2, 1},
       3,
       [](Tensor x) {
         Tensor f = Flatten{}(x);
         return Concatenate{}(Dense{.units = 2}(f), Dense{.units = 3, .activation = relu}(f),
                              Dense{.units = 1}(f));
       }},
  };
}

}  // namespace cnn::tests
