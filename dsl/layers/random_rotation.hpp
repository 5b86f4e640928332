// RandomRotation: each training sample turned about its center by a fraction of a full
// turn drawn from `factor`, bilinear, the uncovered pixels filled as fill_mode says.
#pragma once

#include "dsl/layers/augmentation.hpp"

namespace cnn {

struct RandomRotation {
  static constexpr std::string_view keras_class = "RandomRotation";
  static constexpr std::string_view snake_name = "random_rotation";
  static constexpr bool draws_at_random = true;  // in training: its output varies by step

  Range factor{};  // fraction of a full turn, as in Keras
  FillMode fill_mode = FillMode::reflect;
  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const { return same_image(in[0]); }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
