// Keras's applications.ResNet50 (keras/src/applications/resnet.py): the stem and four
// stacks of bottleneck blocks (`resnet50::features`, to conv5_block3_out), and `resnet50`,
// with its top (include_top=True): 224x224x3, 1000 classes. Keras's layer names
// (conv1_pad, conv2_block1_0_conv, ...), in Keras's model.layers order (dsl/model.hpp).
#pragma once

#include "dsl/dsl.hpp"
#include "examples/imagenet_top.hpp"

namespace cnn::examples {

namespace resnet50 {

constexpr double kEpsilon = 1.001e-5;  // every BatchNormalization of Keras's ResNets

constexpr Tensor conv_bn(Tensor x, int filters, int kernel, int stride, Padding padding,
                         Name name) {
  x = Conv2D{.filters = filters,
             .kernel_size = kernel,
             .strides = stride,
             .padding = padding,
             .name = name + "_conv"}(x);
  return BatchNormalization{.epsilon = kEpsilon, .name = name + "_bn"}(x);
}

// residual_block_v1: 1x1, 3x3, 1x1 (4x filters) convolutions added to the shortcut, a 1x1
// convolution of the input in the first block of a stack, the input itself after.
constexpr Tensor block(Tensor x, int filters, int stride, bool conv_shortcut, Name name) {
  Tensor shortcut = conv_shortcut ? conv_bn(x, 4 * filters, 1, stride, valid, name + "_0") : x;
  x = Activation{relu, name + "_1_relu"}(conv_bn(x, filters, 1, stride, valid, name + "_1"));
  x = Activation{relu, name + "_2_relu"}(conv_bn(x, filters, 3, 1, same, name + "_2"));
  x = conv_bn(x, 4 * filters, 1, 1, valid, name + "_3");
  return Activation{relu, name + "_out"}(Add{name + "_add"}(shortcut, x));
}

constexpr Tensor stack(Tensor x, int filters, int blocks, int stride, Name name) {
  x = block(x, filters, stride, true, name + "_block1");
  for (int i = 2; i <= blocks; ++i) x = block(x, filters, 1, false, name + "_block" + i);
  return x;
}

// ResNet50 without its top (include_top=False, pooling=None): 23,587,712 parameters, of
// which 53,120 non-trainable. From 32x32 up; 224x224 gives 7x7x2048.
constexpr Tensor features(Tensor inputs) {
  auto x = ZeroPadding2D{.padding = 3, .name = "conv1_pad"}(inputs);
  x = Activation{relu, "conv1_relu"}(conv_bn(x, 64, 7, 2, valid, "conv1"));
  x = ZeroPadding2D{.padding = 1, .name = "pool1_pad"}(x);
  x = MaxPooling2D{.pool_size = 3, .strides = 2, .name = "pool1_pool"}(x);
  x = stack(x, 64, 3, 1, "conv2");
  x = stack(x, 128, 4, 2, "conv3");
  x = stack(x, 256, 6, 2, "conv4");
  return stack(x, 512, 3, 2, "conv5");
}

}  // namespace resnet50

// With its top (include_top=True): global average pooling and 1000 ImageNet classes.
inline constexpr auto resnet50_imagenet = functional("resnet50", [](Graph& g) {
  auto inputs = Input{224, 224, 3, "input_1"}(g);
  return Model(inputs, imagenet_top(resnet50::features(inputs)));
});

static_assert(well_formed<resnet50_imagenet>);
static_assert(resnet50_imagenet.total_params() == 25'636'712);
static_assert(resnet50_imagenet.non_trainable_params() == 53'120);
static_assert(resnet50_imagenet.size() == 177);  // Keras's 175 layers, avg_pool, predictions

}  // namespace cnn::examples
