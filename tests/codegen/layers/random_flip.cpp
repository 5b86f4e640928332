// RandomFlip: each mode; the layer sits right after the Input, as augmentation must.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const RandomFlip&) {
  std::vector<LayerCase> cases;
  for (FlipMode mode :
       {FlipMode::horizontal, FlipMode::vertical, FlipMode::horizontal_and_vertical})
    cases.push_back(
        {"mode " + std::to_string(static_cast<int>(mode)), {3, 4, 5, 2}, 4, [mode](Tensor x) {
           return conv_before(RandomFlip{.mode = mode}(x));
         }});
  return cases;
}

}  // namespace cnn::tests
