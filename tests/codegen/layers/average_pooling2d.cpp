// AveragePooling2D: non-overlapping, overlapping and padded (the padding not counted).
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const AveragePooling2D&) {
  return {
      {"2x2",
       {3, 4, 6, 2},
       2,
       [](Tensor x) { return AveragePooling2D{.pool_size = 2}(conv_before(x)); }},
      {"3x3 stride 2 same",
       {3, 6, 5, 1},
       3,
       [](Tensor x) {
         return AveragePooling2D{.pool_size = 3, .strides = 2, .padding = same}(conv_before(x));
       }},
      {"(1, 2) stride 1",
       {3, 3, 4, 2},
       1,
       [](Tensor x) {
         return AveragePooling2D{.pool_size = {1, 2}, .strides = 1}(conv_before(x, 2));
       }},
  };
}

}  // namespace cnn::tests
