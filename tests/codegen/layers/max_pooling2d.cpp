// MaxPooling2D: non-overlapping, overlapping, padded, non-square windows and strides.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const MaxPooling2D&) {
  return {
      {"2x2",
       {3, 6, 4, 2},
       2,
       [](Tensor x) { return MaxPooling2D{.pool_size = 2}(conv_before(x)); }},
      {"3x3 stride 1 same",
       {3, 5, 5, 1},
       3,
       [](Tensor x) {
         return MaxPooling2D{.pool_size = 3, .strides = 1, .padding = same}(conv_before(x));
       }},
      {"(2, 3) stride (1, 2) valid",
       {3, 5, 7, 2},
       1,
       [](Tensor x) {
         return MaxPooling2D{.pool_size = {2, 3}, .strides = {1, 2}}(conv_before(x, 2));
       }},
  };
}

}  // namespace cnn::tests
