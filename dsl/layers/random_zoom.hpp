// RandomZoom: each training sample scaled about its center by 1 + a draw from the factors
// (positive: zoom out), bilinear, the uncovered pixels filled as fill_mode says.
#pragma once

#include "dsl/layers/augmentation.hpp"

namespace cnn {

struct RandomZoom {
  static constexpr std::string_view keras_class = "RandomZoom";
  static constexpr std::string_view snake_name = "random_zoom";
  static constexpr bool draws_at_random = true;  // in training: its output varies by step

  Range height_factor{};
  Range width_factor{};  // zero: the same zoom as the height, as Keras's None
  FillMode fill_mode = FillMode::reflect;
  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const { return same_image(in[0]); }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
