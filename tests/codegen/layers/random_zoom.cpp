// RandomZoom: the width following the height (Keras's None) and its own range; fill modes.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const RandomZoom&) {
  return {
      {"height only, constant",
       {3, 5, 5, 2},
       3,
       [](Tensor x) {
         return conv_before(RandomZoom{.height_factor = 0.25, .fill_mode = FillMode::constant}(x));
       }},
      {"both, nearest",
       {3, 6, 4, 1},
       2,
       [](Tensor x) {
         return conv_before(RandomZoom{
             .height_factor = {-0.2, 0.1}, .width_factor = 0.3, .fill_mode = FillMode::nearest}(x));
       }},
      {"both, reflect",
       {3, 4, 5, 1},
       2,
       [](Tensor x) {
         return conv_before(RandomZoom{.height_factor = 0.3, .width_factor = 0.2}(x));
       }},
  };
}

}  // namespace cnn::tests
