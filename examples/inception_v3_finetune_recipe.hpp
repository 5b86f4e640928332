// How the InceptionV3 fine-tuning tutorial trains: Adam at 1e-3, categorical cross-entropy,
// ReduceLROnPlateau(val_loss, factor 0.5, patience 4, min_lr 1e-6) and
// EarlyStopping(val_loss, patience 4, restore_best_weights), images scaled to [-1, 1]
// (preprocess_input's 'tf' mode) and resized to 299x299 from class folders.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe inception_v3_finetune_recipe{
    .optimizer = "adam",
    .learning_rate = 1e-3,
    .loss = "categorical_crossentropy",
    .epochs = 20,
    .batch_size = 32,
    .validation_split = 0.2,
    .early_stopping = {.monitor = "val_loss", .patience = 4, .restore_best_weights = true},
    .reduce_lr = {.monitor = "val_loss", .factor = 0.5, .patience = 4, .min_lr = 1e-6},
    .preprocess_input = "tf"};

}  // namespace cnn::examples
