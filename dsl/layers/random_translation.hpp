// RandomTranslation: each training sample shifted by a fraction of its height and width
// drawn from the factors, the uncovered pixels filled as fill_mode says.
#pragma once

#include "dsl/layers/augmentation.hpp"

namespace cnn {

struct RandomTranslation {
  static constexpr std::string_view keras_class = "RandomTranslation";
  static constexpr std::string_view snake_name = "random_translation";
  static constexpr bool draws_at_random = true;  // in training: its output varies by step

  Range height_factor{};  // fraction of the height
  Range width_factor{};
  FillMode fill_mode = FillMode::reflect;
  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const { return same_image(in[0]); }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
