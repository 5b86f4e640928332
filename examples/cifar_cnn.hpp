// The mnist_cnn layers on CIFAR-10's 32x32 RGB images (Keras's Adadelta CIFAR example).
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto cifar_cnn = Sequential(
    "cifar_cnn", Input{32, 32, 3}, Conv2D{.filters = 32, .kernel_size = 3, .activation = relu},
    Conv2D{.filters = 64, .kernel_size = 3, .activation = relu}, MaxPooling2D{.pool_size = 2},
    Dropout{.rate = 0.25}, Flatten{}, Dense{.units = 128, .activation = relu}, Dropout{.rate = 0.5},
    Dense{.units = 10, .activation = softmax});

static_assert(well_formed<cifar_cnn>);
static_assert(cifar_cnn.total_params() == 1'626'442);

}  // namespace cnn::examples
