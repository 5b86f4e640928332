// The CIFAR-10 transfer-learning tutorial's model: Keras's VGG16 without its top on 32x32
// images, then GlobalAveragePooling2D, Dense(128, relu) and Dense(10, softmax). A benchmark
// of the kernels at the applications' scale (512 channels at 2x2 pixels); its pretrained
// weights are issue 18's.
#pragma once

#include "examples/vgg16.hpp"

namespace cnn::examples {

inline constexpr auto vgg16_cifar = functional("vgg16_cifar", [](Graph& g) {
  auto inputs = Input{32, 32, 3, "input_1"}(g);
  auto x = GlobalAveragePooling2D{}(vgg::features(inputs));
  x = Dense{.units = 128, .activation = relu}(x);
  return Model(inputs, Dense{.units = 10, .activation = softmax}(x));
});

static_assert(well_formed<vgg16_cifar>);
static_assert(vgg16_cifar.total_params() == 14'714'688 + 65'664 + 1'290);

}  // namespace cnn::examples
