// BatchNormalization: on images and flat tensors, other momentum and epsilon, batch sizes.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const BatchNormalization&) {
  // Without bias: a bias right before BatchNormalization has no gradient to check.
  const auto conv = [](Tensor x) {
    return Conv2D{.filters = 3, .kernel_size = 3, .padding = same, .use_bias = false}(x);
  };
  return {
      {"image", {3, 4, 4, 2}, 2, [=](Tensor x) { return BatchNormalization{}(conv(x)); }},
      {"image, momentum 0.9, epsilon 1e-2",
       {3, 3, 5, 1},
       3,
       [=](Tensor x) { return BatchNormalization{.momentum = 0.9, .epsilon = 1e-2}(conv(x)); }},
      {"image, scale false (InceptionV3's)",
       {2, 4, 3, 2},
       2,
       [=](Tensor x) { return BatchNormalization{.scale = false}(conv(x)); }},
      {"image, center false, epsilon 1.001e-5 (ResNet50's)",
       {2, 3, 4, 2},
       2,
       [=](Tensor x) { return BatchNormalization{.epsilon = 1.001e-5, .center = false}(conv(x)); }},
      {"flat",
       {3, 2, 2, 2},
       4,
       [](Tensor x) {
         return BatchNormalization{}(Dense{.units = 5, .use_bias = false}(Flatten{}(x)));
       }},
  };
}

}  // namespace cnn::tests
