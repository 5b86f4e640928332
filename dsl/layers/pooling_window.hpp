// What MaxPooling2D and AveragePooling2D share: a window of pool_size sliding by strides
// (pool_size when left unset, as in Keras), and its one rule.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(zero_pool_size,
                "pooling needs pool_size >= 1 in both dimensions: set pool_size, e.g. 2",
                int got_pool_size)
}  // namespace errors

struct PoolingWindow {
  enum class Mistake { zero_pool_size = 1 };

  // Keras's strides=None: the window's own size.
  static constexpr Size2 strides_or_pool_size(Size2 strides, Size2 pool_size) {
    return strides.unset() ? pool_size : strides;
  }
  static constexpr Inferred infer(const Shape& in, Size2 pool_size, Size2 strides,
                                  Padding padding) {
    if (smallest(pool_size) < 1) return mistaken(Mistake::zero_pool_size, smallest(pool_size), 1);
    return slide_window(in, pool_size, strides_or_pool_size(strides, pool_size), padding);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::zero_pool_size))
      return errors::zero_pool_size<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
};

}  // namespace cnn
