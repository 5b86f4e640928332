// LeNet-5 on MNIST: the 28x28 digits zero-padded to 32x32 as LeCun's were, Adam, 10 epochs,
// 10% validation.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe lenet5_recipe{.optimizer = "adam",
                                      .loss = "sparse_categorical_crossentropy",
                                      .epochs = 10,
                                      .validation_split = 0.1,
                                      .pad_to_input = true};

}  // namespace cnn::examples
