// Input: images of several shapes reach the classifier unchanged.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Input&) {
  return {{"5x4x2", {3, 5, 4, 2}, 2, [](Tensor x) { return x; }},
          {"3x6x1", {3, 3, 6, 1}, 1, [](Tensor x) { return x; }}};
}

}  // namespace cnn::tests
