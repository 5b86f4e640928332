// Keras's applications.VGG16: its five convolution blocks (`vgg::features`, Keras's layer
// names) and, in `vgg16`, its top (include_top=True): 224x224x3, 1000 classes.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

namespace vgg {
constexpr Conv2D conv(int filters, Name name) {
  return {.filters = filters, .kernel_size = 3, .padding = same, .activation = relu, .name = name};
}
constexpr MaxPooling2D pool(Name name) { return {.pool_size = 2, .strides = 2, .name = name}; }

// VGG16 without its top (include_top=False): 14,714,688 parameters.
constexpr Tensor features(Tensor x) {
  x = conv(64, "block1_conv1")(x);
  x = conv(64, "block1_conv2")(x);
  x = pool("block1_pool")(x);
  x = conv(128, "block2_conv1")(x);
  x = conv(128, "block2_conv2")(x);
  x = pool("block2_pool")(x);
  x = conv(256, "block3_conv1")(x);
  x = conv(256, "block3_conv2")(x);
  x = conv(256, "block3_conv3")(x);
  x = pool("block3_pool")(x);
  x = conv(512, "block4_conv1")(x);
  x = conv(512, "block4_conv2")(x);
  x = conv(512, "block4_conv3")(x);
  x = pool("block4_pool")(x);
  x = conv(512, "block5_conv1")(x);
  x = conv(512, "block5_conv2")(x);
  x = conv(512, "block5_conv3")(x);
  return pool("block5_pool")(x);
}
}  // namespace vgg

inline constexpr auto vgg16 = functional("vgg16", [](Graph& g) {
  auto inputs = Input{224, 224, 3, "input_1"}(g);
  auto x = Flatten{"flatten"}(vgg::features(inputs));
  x = Dense{.units = 4096, .activation = relu, .name = "fc1"}(x);
  x = Dense{.units = 4096, .activation = relu, .name = "fc2"}(x);
  return Model(inputs, Dense{.units = 1000, .activation = softmax, .name = "predictions"}(x));
});

static_assert(well_formed<vgg16>);
static_assert(vgg16.total_params() == 138'357'544);

}  // namespace cnn::examples
