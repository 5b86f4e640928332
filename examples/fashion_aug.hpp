// Fashion-MNIST with rotation augmentation and two batch-normalized VGG-style blocks.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto fashion_aug = Sequential(
    "fashion_aug",
    Input{28, 28, 1},
    RandomRotation{.factor = 0.2},
    Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu},
    Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu},
    MaxPooling2D{.pool_size = 2},
    BatchNormalization{},
    Dropout{.rate = 0.25},
    Conv2D{.filters = 128, .kernel_size = 3, .padding = same, .activation = relu},
    Conv2D{.filters = 128, .kernel_size = 3, .padding = same, .activation = relu},
    MaxPooling2D{.pool_size = 2},
    BatchNormalization{},
    Dropout{.rate = 0.25},
    Flatten{},
    Dense{.units = 10, .activation = softmax});

static_assert(well_formed<fashion_aug>);
static_assert(fashion_aug.total_params() == 322'506);
static_assert(fashion_aug.non_trainable_params() == 384);

}  // namespace cnn::examples
