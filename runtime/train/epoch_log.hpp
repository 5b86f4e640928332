// What one epoch of training reports: the trainer writes it, callbacks and reports read it.
#pragma once

#include <optional>

namespace cnn::runtime {

struct EpochLog {
  int epoch = 0;  // counted from 1
  double learning_rate = 0;
  double loss = 0, accuracy = 0;
  std::optional<double> val_loss, val_accuracy;
  double seconds = 0;
  double images_per_second = 0;
};

}  // namespace cnn::runtime
