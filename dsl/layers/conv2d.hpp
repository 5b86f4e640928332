// Conv2D: y = activation(bias + sum over (ci, kx, ky) of kernel * input), Keras's padding.
// Kernel (kernel_height, kernel_width, input channels, filters), then bias (filters).
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(zero_filters, "Conv2D needs filters >= 1: set filters to a positive count",
                int got_filters)
CNN_MODEL_ERROR(zero_kernel_size,
                "Conv2D needs kernel_size >= 1 in both dimensions: set kernel_size, e.g. 3",
                int got_kernel_size)
}  // namespace errors

struct Conv2D {
  static constexpr std::string_view keras_class = "Conv2D";
  static constexpr std::string_view snake_name = "conv2d";

  int filters = 0;
  Size2 kernel_size{0};
  Size2 strides{1};
  Padding padding = Padding::valid;
  ActivationFn activation = ActivationFn::linear;
  bool use_bias = true;
  Name name{};
  bool trainable = true;
  CNN_LAYER_CALL

  enum class Mistake { zero_filters = 1, zero_kernel_size };
  constexpr Inferred infer(InputShapes in) const {
    if (filters < 1) return mistaken(Mistake::zero_filters, filters, 1);
    if (smallest(kernel_size) < 1)
      return mistaken(Mistake::zero_kernel_size, smallest(kernel_size), 1);
    Inferred r = slide_window(in[0], kernel_size, strides, padding);
    if (!r.problem.ok()) return r;
    r.output.channels = filters;
    const long long kernel =
        1LL * kernel_size.height * kernel_size.width * in[0].channels * filters;
    r.trainable_params = kernel + (use_bias ? filters : 0);
    r.macs = kernel * r.output.height * r.output.width;
    return r;
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::zero_filters))
      return errors::zero_filters<layer, layer_name, d.got>::ok;
    else if constexpr (d.rule == static_cast<int>(Mistake::zero_kernel_size))
      return errors::zero_kernel_size<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  template <class Add>
  constexpr void parameters(const Shape& in, Add&& add) const {
    add(TensorRole::kernel, {kernel_size.height, kernel_size.width, in.channels, filters});
    if (use_bias) add(TensorRole::bias, {filters});
  }
};

}  // namespace cnn
