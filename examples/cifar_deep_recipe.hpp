// TensorFlow's CIFAR-10 CNN tutorial: Adam, sparse labels, batch 128, 10 epochs, 20%
// validation.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe cifar_deep_recipe{.optimizer = "adam",
                                          .loss = "sparse_categorical_crossentropy",
                                          .epochs = 10,
                                          .batch_size = 128,
                                          .validation_split = 0.2};

}  // namespace cnn::examples
