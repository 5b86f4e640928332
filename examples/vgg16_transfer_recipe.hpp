// How the CIFAR-10 transfer tutorial trains its head: Adam, categorical cross-entropy,
// batch 32, 10 epochs, 20% validation, VGG16's 'caffe' preprocessing (BGR, ImageNet's means
// subtracted).
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe vgg16_transfer_recipe{.optimizer = "adam",
                                              .loss = "categorical_crossentropy",
                                              .epochs = 10,
                                              .batch_size = 32,
                                              .validation_split = 0.2,
                                              .preprocess_input = "caffe"};

}  // namespace cnn::examples
