// RandomFlip: each training sample mirrored left-right and/or upside down, with
// probability 1/2 each.
#pragma once

#include "dsl/layers/augmentation.hpp"

namespace cnn {

struct RandomFlip {
  static constexpr std::string_view keras_class = "RandomFlip";
  static constexpr std::string_view snake_name = "random_flip";
  static constexpr bool draws_at_random = true;  // in training: its output varies by step

  FlipMode mode = FlipMode::horizontal_and_vertical;
  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const { return same_image(in[0]); }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
