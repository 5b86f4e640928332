// Preprocessing some tutorials do with scikit-learn before fitting: a new train/test split of
// the pooled data (train_test_split) and per-feature min-max scaling fitted on the training
// set (MinMaxScaler). Recipes ask for them (Recipe::resplit_test, Recipe::min_max_scale).
#pragma once

#include <cstdint>

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

}  // namespace cnn::runtime
