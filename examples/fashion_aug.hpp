// The Fashion-MNIST tutorial with augmentation, exactly as it declares the model: random
// rotations, two VGG-style blocks (64 and 128 filters, each two 'same' 3x3 convolutions,
// max pooling, batch normalization and dropout), then the classifier. The tutorial writes it
// twice, with the Sequential API and with the functional API; both are here, and the tests
// check that they are one model (summary, and trained weights from one seed).
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto fashion_aug =
    Sequential("fashion_aug", Input{28, 28, 1}, RandomRotation{.factor = 0.2},
               Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu},
               Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu},
               MaxPooling2D{.pool_size = 2}, BatchNormalization{}, Dropout{.rate = 0.25},
               Conv2D{.filters = 128, .kernel_size = 3, .padding = same, .activation = relu},
               Conv2D{.filters = 128, .kernel_size = 3, .padding = same, .activation = relu},
               MaxPooling2D{.pool_size = 2}, BatchNormalization{}, Dropout{.rate = 0.25}, Flatten{},
               Dense{.units = 10, .activation = softmax});

inline constexpr auto fashion_aug_functional = functional("fashion_aug", [](Graph& g) {
  auto inputs = Input{28, 28, 1}(g);
  auto x = RandomRotation{.factor = 0.2}(inputs);
  x = Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu}(x);
  x = Conv2D{.filters = 64, .kernel_size = 3, .padding = same, .activation = relu}(x);
  x = MaxPooling2D{.pool_size = 2}(x);
  x = BatchNormalization{}(x);
  x = Dropout{.rate = 0.25}(x);
  x = Conv2D{.filters = 128, .kernel_size = 3, .padding = same, .activation = relu}(x);
  x = Conv2D{.filters = 128, .kernel_size = 3, .padding = same, .activation = relu}(x);
  x = MaxPooling2D{.pool_size = 2}(x);
  x = BatchNormalization{}(x);
  x = Dropout{.rate = 0.25}(x);
  x = Flatten{}(x);
  return Model(inputs, Dense{.units = 10, .activation = softmax}(x));
});

static_assert(well_formed<fashion_aug>);
static_assert(well_formed<fashion_aug_functional>);
static_assert(fashion_aug.total_params() == 322'506);  // Keras's count
static_assert(fashion_aug.non_trainable_params() == 384);
static_assert(fashion_aug_functional.total_params() == 322'506);

}  // namespace cnn::examples
