// GlobalAveragePooling2D: square and oblong images.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const GlobalAveragePooling2D&) {
  return {
      {"4x4", {3, 4, 4, 2}, 2, [](Tensor x) { return GlobalAveragePooling2D{}(conv_before(x)); }},
      {"3x5",
       {3, 3, 5, 1},
       3,
       [](Tensor x) { return GlobalAveragePooling2D{}(conv_before(x, 4)); }},
  };
}

}  // namespace cnn::tests
