// The CIFAR-10 tutorial with Adadelta (Keras 2's CIFAR-10 model): learning rate 1.0, 10
// epochs, batch 128. As the tutorial prepares its data with scikit-learn: the 60,000 images
// pooled and split 80/20 with a fixed random state (train_test_split), each feature scaled
// by a MinMaxScaler fitted on the training part, and the test part used for validation.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe cifar_cnn_recipe{.optimizer = "adadelta",
                                         .learning_rate = 1.0,
                                         .epochs = 10,
                                         .batch_size = 128,
                                         .validate_on_test = true,
                                         .resplit_test = 0.2,
                                         .resplit_seed = 42,
                                         .min_max_scale = true};

}  // namespace cnn::examples
