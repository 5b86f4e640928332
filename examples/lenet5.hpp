// LeCun's LeNet-5 as the Keras tutorials write it: tanh, average pooling, 32x32 input.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto lenet5 = Sequential(
    "lenet5", Input{32, 32, 1}, Conv2D{.filters = 6, .kernel_size = 5, .activation = tanh},
    AveragePooling2D{.pool_size = 2}, Conv2D{.filters = 16, .kernel_size = 5, .activation = tanh},
    AveragePooling2D{.pool_size = 2}, Flatten{}, Dense{.units = 120, .activation = tanh},
    Dense{.units = 84, .activation = tanh}, Dense{.units = 10, .activation = softmax});

static_assert(well_formed<lenet5>);
static_assert(lenet5.total_params() == 61'706);

}  // namespace cnn::examples
