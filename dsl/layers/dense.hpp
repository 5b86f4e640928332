// Dense: y = activation(bias + kernel^T x) over a flat input. Kernel (inputs, units), then
// bias (units).
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(zero_units, "Dense needs units >= 1: set units to a positive count", int got_units)
CNN_MODEL_ERROR(dense_needs_flat_input,
                "Dense needs a flat (rank-1) input but got a (height, width, channels) "
                "tensor: add Flatten() or GlobalAveragePooling2D() before this Dense layer",
                int got_rank)
}  // namespace errors

struct Dense {
  static constexpr std::string_view keras_class = "Dense";
  static constexpr std::string_view snake_name = "dense";

  int units = 0;
  ActivationFn activation = ActivationFn::linear;
  bool use_bias = true;
  Name name{};
  bool trainable = true;
  CNN_LAYER_CALL

  enum class Mistake { zero_units = 1, needs_flat_input };
  constexpr Inferred infer(InputShapes in) const {
    if (units < 1) return mistaken(Mistake::zero_units, units, 1);
    if (in[0].rank != 1) return mistaken(Mistake::needs_flat_input, in[0].rank, 1);
    return shaped(Shape::flat(units), 1LL * in[0].channels * units + (use_bias ? units : 0), 0,
                  1LL * in[0].channels * units);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::zero_units))
      return errors::zero_units<layer, layer_name, d.got>::ok;
    else if constexpr (d.rule == static_cast<int>(Mistake::needs_flat_input))
      return errors::dense_needs_flat_input<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  template <class Add>
  constexpr void parameters(const Shape& in, Add&& add) const {
    add(TensorRole::kernel, {in.channels, units});
    if (use_bias) add(TensorRole::bias, {units});
  }
};

}  // namespace cnn
