// fashion_aug_wide (a model of ours): the tutorial's recipe (fashion_aug_recipe.hpp) plus
// ReduceLROnPlateau and an epoch limit of 50. Adam, one-hot labels, EarlyStopping(patience 5,
// restore_best_weights) doing the stopping, ModelCheckpoint of the best epoch, 20% validation.
// Batch 32 is Keras's fit() default (the tutorial names no other): rotations of up to 72 degrees
// make a hard task that gains from 4x the updates per epoch. ReduceLROnPlateau halves the rate
// when the validation loss stalls, so that the noisy augmented loss settles before
// EarlyStopping looks at it.
#pragma once

#include "dsl/recipe.hpp"
#include "examples/fashion_classes.hpp"

namespace cnn::examples {

inline constexpr Recipe fashion_aug_wide_recipe{
    .optimizer = "adam",
    .loss = "categorical_crossentropy",
    .epochs = 50,
    .batch_size = 32,
    .validation_split = 0.2,
    .early_stopping = {.monitor = "val_loss", .patience = 5, .restore_best_weights = true},
    .checkpoint = {.filepath = "fashion_aug_wide.best.safetensors", .save_best_only = true},
    .reduce_lr = {.monitor = "val_loss", .factor = 0.5, .patience = 2, .min_lr = 1e-5},
    .class_names = fashion_mnist_classes};

}  // namespace cnn::examples
