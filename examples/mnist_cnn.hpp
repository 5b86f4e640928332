// Keras's "Simple MNIST convnet" (mnist_cnn.py), the model the MNIST trainer trains.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto mnist_cnn = Sequential(
    "mnist_cnn", Input{28, 28, 1}, Conv2D{.filters = 32, .kernel_size = 3, .activation = relu},
    Conv2D{.filters = 64, .kernel_size = 3, .activation = relu}, MaxPooling2D{.pool_size = 2},
    Dropout{.rate = 0.25}, Flatten{}, Dense{.units = 128, .activation = relu}, Dropout{.rate = 0.5},
    Dense{.units = 10, .activation = softmax});

static_assert(well_formed<mnist_cnn>);
static_assert(mnist_cnn.total_params() == 1'199'882);
static_assert(mnist_cnn.non_trainable_params() == 0);

}  // namespace cnn::examples
