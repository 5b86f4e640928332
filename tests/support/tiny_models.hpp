// Small models whose generated gradients are checked against the reference and against
// finite differences. Between them they use every layer kind with parameters or a backward
// rule, every activation, both paddings, strides, overlapping and padded pooling windows,
// both BatchNormalization ranks, and both merges.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::tests {

// Conv2D valid/same, strides, tanh/relu/sigmoid, overlapping 'same' max pooling, Dropout.
inline constexpr auto tiny_conv = Sequential(
    "tiny_conv", Input{7, 6, 2}, Conv2D{.filters = 3, .kernel_size = 3, .activation = relu},
    Conv2D{.filters = 4, .kernel_size = {3, 2}, .strides = 2, .padding = same, .activation = tanh},
    MaxPooling2D{.pool_size = 2, .strides = 1, .padding = same}, Flatten{},
    Dense{.units = 5, .activation = sigmoid}, Dropout{.rate = 0.3},
    Dense{.units = 3, .activation = softmax});
static_assert(well_formed<tiny_conv>);

// BatchNormalization on images and on flat tensors, Activation layers (softmax last),
// non-overlapping max pooling, padded overlapping average pooling, a 1x1 convolution
// without bias, global average pooling.
inline constexpr auto tiny_norm = Sequential(
    "tiny_norm", Input{8, 8, 2}, Conv2D{.filters = 4, .kernel_size = 3, .padding = same},
    BatchNormalization{}, Activation{relu}, MaxPooling2D{.pool_size = 2},
    AveragePooling2D{.pool_size = 3, .strides = 2, .padding = same},
    Conv2D{.filters = 3, .kernel_size = 1, .activation = sigmoid, .use_bias = false},
    GlobalAveragePooling2D{}, Dense{.units = 6}, BatchNormalization{}, Activation{softmax});
static_assert(well_formed<tiny_norm>);

// Frozen layers (trainable = false) between learning ones: a BatchNormalization, in inference
// mode in training too, and a Conv2D; both pass gradients down and get none.
inline constexpr auto tiny_frozen = Sequential(
    "tiny_frozen", Input{8, 8, 2}, Conv2D{.filters = 4, .kernel_size = 3, .padding = same},
    BatchNormalization{.trainable = false}, Activation{relu}, MaxPooling2D{.pool_size = 2},
    Conv2D{.filters = 3, .kernel_size = 1, .activation = sigmoid, .trainable = false},
    GlobalAveragePooling2D{}, Dense{.units = 6}, BatchNormalization{}, Activation{softmax});
static_assert(well_formed<tiny_frozen>);

// tiny_norm with its first five layers frozen, as Keras's `model.layers[:5]`: the backward
// pass stops above them.
inline constexpr auto tiny_frozen_base = tiny_norm.frozen_below(5);
static_assert(tiny_frozen_base.trainable_params() == 3 * 4 + 6 * 3 + 6 + 2 * 6);

// Branches: a residual Add and a Concatenate of branches of different widths.
inline constexpr auto tiny_branches = functional("tiny_branches", [](Graph& g) {
  auto inputs = Input{6, 6, 2}(g);
  auto x = Conv2D{.filters = 4, .kernel_size = 3, .padding = same, .activation = relu}(inputs);
  auto a = Conv2D{.filters = 4, .kernel_size = 3, .padding = same}(x);
  auto b = Conv2D{.filters = 2, .kernel_size = 1, .activation = tanh}(x);
  auto sum = Activation{relu}(Add{}(x, a));
  auto joined = Concatenate{}(sum, b);
  auto pooled = AveragePooling2D{.pool_size = 2}(joined);
  return Model(inputs, Dense{.units = 3, .activation = softmax}(Flatten{}(pooled)));
});
static_assert(well_formed<tiny_branches>);

// Max pooling's tie rule, with a 1x1 convolution to read the gradient it sends back.
inline constexpr auto tiny_ties =
    Sequential("tiny_ties", Input{4, 4, 1}, Conv2D{.filters = 1, .kernel_size = 1},
               MaxPooling2D{.pool_size = 2}, Flatten{}, Dense{.units = 2, .activation = softmax});
static_assert(well_formed<tiny_ties>);

}  // namespace cnn::tests

namespace cnn::tests {

// The augmentation layers, each fill mode, ahead of a small classifier.
inline constexpr auto tiny_augment = Sequential(
    "tiny_augment", Input{6, 5, 2}, RandomFlip{},
    RandomTranslation{
        .height_factor = 0.2, .width_factor = {-0.3, 0.1}, .fill_mode = FillMode::wrap},
    RandomRotation{.factor = 0.1},
    RandomZoom{.height_factor = 0.25, .fill_mode = FillMode::constant},
    RandomZoom{.height_factor = {-0.2, 0.1}, .width_factor = 0.3, .fill_mode = FillMode::nearest},
    Conv2D{.filters = 3, .kernel_size = 3, .activation = relu}, Flatten{},
    Dense{.units = 3, .activation = softmax});
static_assert(well_formed<tiny_augment>);

}  // namespace cnn::tests
