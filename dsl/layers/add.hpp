// Add: the elementwise sum of tensors of one shape.
#pragma once

#include "dsl/layers/merge.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(add_shape_mismatch,
                "Add needs inputs of one shape: make the branches end with the same "
                "(height, width, channels), e.g. a 1x1 Conv2D on the shortcut",
                int got_elements, int expected_elements)
}  // namespace errors

struct Add {
  static constexpr std::string_view keras_class = "Add";
  static constexpr std::string_view snake_name = "add";

  Name name{};
  CNN_MERGE_CALL

  enum class Mistake { shape_mismatch = 1 };
  constexpr Inferred infer(InputShapes in) const {
    if (Inferred r = needs_two_inputs(in); !r.problem.ok()) return r;
    for (const Shape& s : in)
      if (!(s == in[0]))
        return mistaken(Mistake::shape_mismatch, static_cast<int>(s.elements()),
                        static_cast<int>(in[0].elements()));
    return shaped(in[0]);
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::shape_mismatch))
      return errors::add_shape_mismatch<layer, layer_name, d.got, d.limit>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
