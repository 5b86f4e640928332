// MNIST with batch normalization between each layer and its activation.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto mnist_bn =
    Sequential("mnist_bn", Input{28, 28, 1}, Conv2D{.filters = 64, .kernel_size = 5, .strides = 2},
               BatchNormalization{}, Activation{relu}, Flatten{}, Dense{.units = 128},
               BatchNormalization{}, Activation{relu}, Dense{.units = 10}, Activation{softmax});

static_assert(well_formed<mnist_bn>);
static_assert(mnist_bn.total_params() == 1'183'498);
static_assert(mnist_bn.non_trainable_params() == 384);

}  // namespace cnn::examples
