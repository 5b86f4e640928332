// The batch-normalization MNIST tutorial: Adam, sparse labels, 5 epochs, 10% validation.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe mnist_bn_recipe{.optimizer = "adam",
                                        .loss = "sparse_categorical_crossentropy",
                                        .epochs = 5,
                                        .validation_split = 0.1};

}  // namespace cnn::examples
