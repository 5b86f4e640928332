// RandomRotation: small and large angles, each fill mode.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const RandomRotation&) {
  std::vector<LayerCase> cases;
  for (FillMode fill : {FillMode::reflect, FillMode::wrap, FillMode::constant, FillMode::nearest})
    cases.push_back(
        {"fill " + std::to_string(static_cast<int>(fill)), {3, 5, 6, 1}, 3, [fill](Tensor x) {
           return conv_before(RandomRotation{.factor = 0.2, .fill_mode = fill}(x));
         }});
  cases.push_back({"a half turn either way", {3, 4, 4, 2}, 2, [](Tensor x) {
                     return conv_before(RandomRotation{.factor = 0.5}(x));
                   }});
  return cases;
}

}  // namespace cnn::tests
