// Keras's applications.VGG16(include_top=True): 224x224x3, 1000 classes, Keras's layer names.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

namespace vgg {
constexpr Conv2D conv(int filters, Name name) {
  return {.filters = filters, .kernel_size = 3, .padding = same, .activation = relu, .name = name};
}
constexpr MaxPooling2D pool(Name name) { return {.pool_size = 2, .strides = 2, .name = name}; }
}  // namespace vgg

inline constexpr auto vgg16 = Sequential(
    "vgg16", Input{224, 224, 3, "input_1"}, vgg::conv(64, "block1_conv1"),
    vgg::conv(64, "block1_conv2"), vgg::pool("block1_pool"), vgg::conv(128, "block2_conv1"),
    vgg::conv(128, "block2_conv2"), vgg::pool("block2_pool"), vgg::conv(256, "block3_conv1"),
    vgg::conv(256, "block3_conv2"), vgg::conv(256, "block3_conv3"), vgg::pool("block3_pool"),
    vgg::conv(512, "block4_conv1"), vgg::conv(512, "block4_conv2"), vgg::conv(512, "block4_conv3"),
    vgg::pool("block4_pool"), vgg::conv(512, "block5_conv1"), vgg::conv(512, "block5_conv2"),
    vgg::conv(512, "block5_conv3"), vgg::pool("block5_pool"), Flatten{"flatten"},
    Dense{.units = 4096, .activation = relu, .name = "fc1"},
    Dense{.units = 4096, .activation = relu, .name = "fc2"},
    Dense{.units = 1000, .activation = softmax, .name = "predictions"});

static_assert(well_formed<vgg16>);
static_assert(vgg16.total_params() == 138'357'544);

}  // namespace cnn::examples
