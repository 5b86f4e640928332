// Fashion-MNIST with augmentation: Adam, one-hot labels, EarlyStopping(patience 5,
// restore_best_weights) doing the stopping, ModelCheckpoint of the best epoch, 20% validation.
#pragma once

#include "dsl/recipe.hpp"
#include "examples/fashion_classes.hpp"

namespace cnn::examples {

inline constexpr Recipe fashion_aug_recipe{
    .optimizer = "adam",
    .loss = "categorical_crossentropy",
    .epochs = 50,
    .validation_split = 0.2,
    .early_stopping = {.monitor = "val_loss", .patience = 5, .restore_best_weights = true},
    .checkpoint = {.filepath = "fashion_aug.best.safetensors", .save_best_only = true},
    .class_names = fashion_mnist_classes};

}  // namespace cnn::examples
