// RandomTranslation: symmetric and one-sided ranges, each fill mode.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const RandomTranslation&) {
  std::vector<LayerCase> cases;
  for (FillMode fill : {FillMode::reflect, FillMode::wrap, FillMode::constant, FillMode::nearest})
    cases.push_back(
        {"fill " + std::to_string(static_cast<int>(fill)), {3, 5, 4, 2}, 3, [fill](Tensor x) {
           return conv_before(RandomTranslation{
               .height_factor = 0.3, .width_factor = {-0.2, 0.1}, .fill_mode = fill}(x));
         }});
  return cases;
}

}  // namespace cnn::tests
