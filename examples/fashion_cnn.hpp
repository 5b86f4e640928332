// The Fashion-MNIST classifier of the Keras tutorials: two conv/pool stages and a small head.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto fashion_cnn =
    Sequential("fashion_cnn", Input{28, 28, 1},
               Conv2D{.filters = 32, .kernel_size = 3, .padding = same, .activation = relu},
               MaxPooling2D{.pool_size = 2},
               Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu},
               MaxPooling2D{.pool_size = 2}, Flatten{}, Dense{.units = 100, .activation = relu},
               Dropout{.rate = 0.4}, Dense{.units = 10, .activation = softmax});

static_assert(well_formed<fashion_cnn>);
static_assert(fashion_cnn.total_params() == 333'526);
static_assert(fashion_cnn[1].params() == 320 && fashion_cnn[3].params() == 18'496 &&
              fashion_cnn[6].params() == 313'700 && fashion_cnn[8].params() == 1'010);

}  // namespace cnn::examples
