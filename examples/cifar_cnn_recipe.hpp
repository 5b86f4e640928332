// Keras 2's CIFAR-10 example settings: Adadelta with learning rate 1.0, 10 epochs,
// validating on the test set as the tutorial does.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe cifar_cnn_recipe{.optimizer = "adadelta",
                                         .learning_rate = 1.0,
                                         .epochs = 10,
                                         .batch_size = 128,
                                         .validate_on_test = true};

}  // namespace cnn::examples
