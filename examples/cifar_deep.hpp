// TensorFlow's "Convolutional Neural Network (CNN)" CIFAR-10 tutorial model.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto cifar_deep = Sequential(
    "cifar_deep", Input{32, 32, 3},
    Conv2D{.filters = 32, .kernel_size = 3, .padding = same, .activation = relu},
    MaxPooling2D{.pool_size = 2},
    Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu},
    MaxPooling2D{.pool_size = 2},
    Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu}, Flatten{},
    Dense{.units = 128, .activation = relu}, Dense{.units = 10, .activation = softmax});

static_assert(well_formed<cifar_deep>);
static_assert(cifar_deep.total_params() == 582'026);

}  // namespace cnn::examples
