// AveragePooling2D: the mean of each window (padding not counted).
#pragma once

#include "dsl/layers/pooling_window.hpp"

namespace cnn {

struct AveragePooling2D {
  static constexpr std::string_view keras_class = "AveragePooling2D";
  static constexpr std::string_view snake_name = "average_pooling2d";

  Size2 pool_size{2};
  Size2 strides = Size2::defaulted();  // unset: pool_size
  Padding padding = Padding::valid;
  Name name{};
  CNN_LAYER_CALL

  constexpr Size2 effective_strides() const {
    return PoolingWindow::strides_or_pool_size(strides, pool_size);
  }
  constexpr Inferred infer(InputShapes in) const {
    return PoolingWindow::infer(in[0], pool_size, strides, padding);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    return PoolingWindow::report<d, layer, layer_name>();
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
