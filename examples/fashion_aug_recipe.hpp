// The Fashion-MNIST augmentation tutorial's training: Adam, categorical cross-entropy
// (one-hot labels), EarlyStopping(val_loss, patience 5, restore_best_weights) doing the
// stopping of an epochs=10000 fit, a best-only ModelCheckpoint, 20% validation, Keras's
// default batch of 32.
#pragma once

#include "dsl/recipe.hpp"
#include "examples/fashion_classes.hpp"

namespace cnn::examples {

inline constexpr Recipe fashion_aug_recipe{
    .optimizer = "adam",
    .loss = "categorical_crossentropy",
    .epochs = 10000,
    .batch_size = 32,
    .validation_split = 0.2,
    .early_stopping = {.monitor = "val_loss", .patience = 5, .restore_best_weights = true},
    .checkpoint = {.filepath = "fashion_aug.best.safetensors", .save_best_only = true},
    .class_names = fashion_mnist_classes};

}  // namespace cnn::examples
