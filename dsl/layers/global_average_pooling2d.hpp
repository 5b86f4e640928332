// GlobalAveragePooling2D: each channel's mean over the whole image, a flat (channels) output.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

struct GlobalAveragePooling2D {
  static constexpr std::string_view keras_class = "GlobalAveragePooling2D";
  static constexpr std::string_view snake_name = "global_average_pooling2d";

  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const { return per_channel(in[0]); }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
