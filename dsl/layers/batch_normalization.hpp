// BatchNormalization over the last axis (channels): in training, the batch's statistics,
// and the moving ones updated with `momentum`; in inference, the moving statistics.
// Tensors gamma (with `scale`), beta (with `center`), trained; moving_mean, moving_variance
// (state); each (channels). Without `scale` gamma is 1, without `center` beta is 0, as
// Keras's InceptionV3 (scale = false) has them.
#pragma once

#include <type_traits>

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(bad_batch_norm_arguments,
                "BatchNormalization needs momentum in [0, 1] and epsilon > 0: keep Keras's "
                "defaults (0.99, 1e-3) unless you mean otherwise",
                int got_momentum_per_mille)
}  // namespace errors

struct BatchNormalization {
  static constexpr std::string_view keras_class = "BatchNormalization";
  static constexpr std::string_view snake_name = "batch_normalization";

  double momentum = 0.99;
  double epsilon = 1e-3;
  bool center = true;
  bool scale = true;
  Name name{};
  bool trainable = true;
  CNN_LAYER_CALL

  enum class Mistake { bad_arguments = 1 };
  constexpr Inferred infer(InputShapes in) const {
    if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0))
      return mistaken(Mistake::bad_arguments, static_cast<int>(momentum * 1000), 1000);
    return shaped(in[0], (int{center} + int{scale}) * 1LL * in[0].channels, 2LL * in[0].channels);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::bad_arguments))
      return errors::bad_batch_norm_arguments<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  template <class Add>
  constexpr void parameters(const Shape& in, Add&& add) const {
    if (scale) add(TensorRole::gamma, {in.channels});
    if (center) add(TensorRole::beta, {in.channels});
    add(TensorRole::moving_mean, {in.channels});
    add(TensorRole::moving_variance, {in.channels});
  }
};

// The moving statistics' update, written once for the generated step (on Halide Exprs) and
// for the data-parallel trainer, which pools the ranks' batch statistics (on doubles).
// Keras's moving = moving * momentum + batch * (1 - momentum) ...
template <class T, class M>
constexpr T moving_average(T moving, T batch, M momentum) {
  return moving * momentum + batch * (1 - momentum);
}
// ... and the batch statistic an update was made from.
template <class T, class M>
constexpr T batch_statistic(T updated, T moving, M momentum) {
  return (updated - moving * momentum) / (1 - momentum);
}
// The batch variance enters it Bessel-corrected over a channel's `count` values, as in
// TensorFlow's fused kernel and PyTorch.
template <class T>
constexpr T unbiased_variance(T variance, T count) {
  if constexpr (std::is_floating_point_v<T>)
    return variance * count / std::max(count - 1, T(1));
  else
    return variance * count / max(count - 1, 1.0f);  // Halide's max, found by argument
}
template <class T>
constexpr T biased_variance(T unbiased, T count) {
  if constexpr (std::is_floating_point_v<T>)
    return unbiased * std::max(count - 1, T(1)) / count;
  else
    return unbiased * max(count - 1, 1.0f) / count;
}

}  // namespace cnn
