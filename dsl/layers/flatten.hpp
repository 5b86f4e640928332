// Flatten: (height, width, channels) to one axis in Keras's order, channels fastest.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

struct Flatten {
  static constexpr std::string_view keras_class = "Flatten";
  static constexpr std::string_view snake_name = "flatten";

  Name name{};
  CNN_LAYER_CALL

  constexpr Inferred infer(InputShapes in) const {
    return shaped(Shape::flat(static_cast<int>(in[0].elements())));
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
