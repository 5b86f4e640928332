// The Fashion-MNIST tutorial's training: Adam, sparse labels, up to 20 epochs with
// EarlyStopping(patience 2, restore_best_weights) and ModelCheckpoint(save_best_only),
// 20% validation.
#pragma once

#include "dsl/recipe.hpp"
#include "examples/fashion_classes.hpp"

namespace cnn::examples {

inline constexpr Recipe fashion_cnn_recipe{
    .optimizer = "adam",
    .loss = "sparse_categorical_crossentropy",
    .epochs = 20,
    .validation_split = 0.2,
    .early_stopping = {.monitor = "val_loss", .patience = 2, .restore_best_weights = true},
    .checkpoint = {.filepath = "fashion_cnn.best.safetensors", .save_best_only = true},
    .class_names = fashion_mnist_classes};

}  // namespace cnn::examples
