// Concatenate: tensors of one height and width joined along channels (Keras's axis=-1).
#pragma once

#include "dsl/layers/merge.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(concatenate_shape_mismatch,
                "Concatenate joins along channels and needs the same height and width on "
                "every input: use padding=same or matching strides in each branch",
                int got_height, int expected_height)
}  // namespace errors

struct Concatenate {
  static constexpr std::string_view keras_class = "Concatenate";
  static constexpr std::string_view snake_name = "concatenate";

  Name name{};
  CNN_MERGE_CALL

  enum class Mistake { shape_mismatch = 1 };
  constexpr Inferred infer(InputShapes in) const {
    if (Inferred r = needs_two_inputs(in); !r.problem.ok()) return r;
    Shape out = in[0];
    for (std::size_t i = 1; i < in.size(); ++i) {
      if (in[i].rank != in[0].rank || in[i].height != in[0].height || in[i].width != in[0].width)
        return mistaken(Mistake::shape_mismatch, in[i].height, in[0].height);
      out.channels += in[i].channels;
    }
    return shaped(out);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::shape_mismatch))
      return errors::concatenate_shape_mismatch<layer, layer_name, d.got, d.limit>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
