// The CIFAR-10 transfer-learning tutorial: Keras's VGG16 without its top on 32x32 images,
// its base frozen, then GlobalAveragePooling2D, Dense(128, relu) and Dense(10, softmax)
// (examples/vgg16_cifar.hpp). The base's weights come from Keras's
// vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 when given (--transfer-from, by name).
#pragma once

#include "examples/vgg16_cifar.hpp"

namespace cnn::examples {

inline constexpr auto vgg16_transfer =
    vgg16_cifar.frozen_below(vgg16_cifar.find("block5_pool") + 1).named("vgg16_transfer");

static_assert(vgg16_transfer.trainable_params() == 65'664 + 1'290);  // the head alone
static_assert(vgg16_transfer.non_trainable_params() == 14'714'688);
static_assert(vgg16_transfer.name.view() == "vgg16_transfer");

}  // namespace cnn::examples
