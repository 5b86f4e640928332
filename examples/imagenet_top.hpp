// What Keras's applications put on their features with include_top=True (InceptionV3,
// ResNet50): global average pooling and a softmax over ImageNet's 1000 classes.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

constexpr Tensor imagenet_top(Tensor features) {
  auto x = GlobalAveragePooling2D{"avg_pool"}(features);
  return Dense{.units = 1000, .activation = softmax, .name = "predictions"}(x);
}

}  // namespace cnn::examples
