// ZeroPadding2D: one count, (rows, columns), and ResNet50's uneven ((0, 1), (0, 1)) before a
// strided convolution and a pooling that read the padding.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const ZeroPadding2D&) {
  return {
      {"padding 1", {2, 3, 4, 2}, 2, [](Tensor x) { return ZeroPadding2D{}(conv_before(x)); }},
      {"padding (2, 1), then a strided convolution",
       {2, 4, 3, 1},
       3,
       [](Tensor x) {
         return Conv2D{.filters = 2, .kernel_size = 3, .strides = 2}(
             ZeroPadding2D{.padding = {2, 1}}(conv_before(x)));
       }},
      {"padding ((0, 1), (0, 1)), then max pooling",
       {2, 4, 4, 2},
       2,
       [](Tensor x) {
         return MaxPooling2D{.pool_size = 3, .strides = 2}(
             ZeroPadding2D{.padding = {{0, 1}, {0, 1}}}(conv_before(x)));
       }},
  };
}

}  // namespace cnn::tests
