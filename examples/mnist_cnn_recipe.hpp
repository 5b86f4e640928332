// How Keras's "Simple MNIST convnet" trains mnist_cnn: RMSprop, batch 128, 12 epochs, the
// last 20% of the training set held out for validation.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe mnist_cnn_recipe{
    .optimizer = "rmsprop", .epochs = 12, .batch_size = 128, .validation_split = 0.2};

}  // namespace cnn::examples
