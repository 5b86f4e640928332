// Input: the image a model takes, (height, width, channels) per sample. Keras's InputLayer.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(zero_input_size,
                "Input needs height, width and channels >= 1: give the image's real size",
                int got_extent)
}  // namespace errors

struct Input {
  static constexpr std::string_view keras_class = "InputLayer";
  static constexpr std::string_view snake_name = "input";

  int height = 0;
  int width = 0;
  int channels = 0;
  Name name{};

  // `Input{28, 28, 1}(graph)` starts a functional model.
  template <class G>
  constexpr auto operator()(G& graph) const {
    return graph.add_input(*this);
  }

  enum class Mistake { zero_size = 1 };
  constexpr Inferred infer(InputShapes) const {
    if (height < 1 || width < 1 || channels < 1)
      return mistaken(Mistake::zero_size, std::min({height, width, channels}), 1);
    return shaped(Shape::image(height, width, channels));
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::zero_size))
      return errors::zero_input_size<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
