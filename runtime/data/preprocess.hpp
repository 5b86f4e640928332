// Preprocessing some tutorials do before fitting: with scikit-learn, a new train/test split of
// the pooled data (train_test_split) and per-feature min-max scaling fitted on the training
// set (MinMaxScaler); with Keras, the applications' preprocess_input. Recipes ask for them
// (Recipe::resplit_test, Recipe::min_max_scale, Recipe::preprocess_input).
#pragma once

#include <cstdint>
#include <string_view>

#include "runtime/data/dataset.hpp"

namespace cnn::runtime {

// The training and test sets pooled, shuffled by `seed` (a fixed random state: the same
// split on every run) and split so that round(test_fraction * total) samples are the test
// set. Throws Error when the fraction leaves either side empty.
TrainTest resplit(const TrainTest& data, double test_fraction, std::uint64_t seed);

// Each feature (pixel and channel) scaled by the training set's own range to [0, 1], as
// MinMaxScaler().fit(train) then transform(train) and transform(test): the test set is
// scaled by the training set's range and may leave [0, 1]. A feature constant over the
// training set is only shifted, as scikit-learn does.
void min_max_scale(TrainTest& data);

// Keras's keras.applications preprocess_input, on pixels scaled to [0, 1] (x / 255):
//   "caffe" (VGG16, ResNet50): RGB to BGR, ImageNet's channel means subtracted, 0-255 scale;
//   "tf" (InceptionV3): to [-1, 1];  "torch": ImageNet's means and deviations, 0-1 scale;
//   "": nothing. Throws Error for another mode, or caffe and torch on images that are not RGB.
void preprocess_input(Dataset& data, std::string_view mode);

}  // namespace cnn::runtime
