// Dropout: in training, each unit is kept with probability 1 - rate and scaled by
// 1 / (1 - rate); in inference, the identity.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(dropout_rate_out_of_range,
                "Dropout rate must be in [0, 1) (the fraction of units dropped): use e.g. "
                "rate=0.25",
                int got_rate_per_mille)
}  // namespace errors

struct Dropout {
  static constexpr std::string_view keras_class = "Dropout";
  static constexpr std::string_view snake_name = "dropout";
  static constexpr bool draws_at_random = true;  // in training: its output varies by step

  double rate = 0;
  Name name{};
  CNN_LAYER_CALL

  enum class Mistake { rate_out_of_range = 1 };
  constexpr Inferred infer(InputShapes in) const {
    if (!(rate >= 0 && rate < 1))
      return mistaken(Mistake::rate_out_of_range, static_cast<int>(rate * 1000), 1000);
    return shaped(in[0]);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::rate_out_of_range))
      return errors::dropout_rate_out_of_range<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
