// ZeroPadding2D: rows and columns of zeros around an image (ResNet50 pads before its 7x7
// convolution and its first pooling). Keras's `padding`: one count for all four sides, a
// (rows, columns) pair, or ((top, bottom), (left, right)).
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

namespace errors {
CNN_MODEL_ERROR(negative_zero_padding,
                "ZeroPadding2D needs padding >= 0 on every side: it adds rows and columns of "
                "zeros; give each side a count of 0 or more",
                int got_padding)
}  // namespace errors

struct Pads2 {
  int top = 0, bottom = 0, left = 0, right = 0;
  constexpr Pads2() = default;
  constexpr Pads2(int all) : top(all), bottom(all), left(all), right(all) {}  // NOLINT: Keras's int
  constexpr Pads2(int rows, int columns) : top(rows), bottom(rows), left(columns), right(columns) {}
  struct Side {
    int before = 0, after = 0;
  };
  constexpr Pads2(Side rows, Side columns)
      : top(rows.before), bottom(rows.after), left(columns.before), right(columns.after) {}
  constexpr int smallest() const { return std::min(std::min(top, bottom), std::min(left, right)); }
};

struct ZeroPadding2D {
  static constexpr std::string_view keras_class = "ZeroPadding2D";
  static constexpr std::string_view snake_name = "zero_padding2d";

  Pads2 padding{1};
  Name name{};
  CNN_LAYER_CALL

  enum class Mistake { negative_padding = 1 };
  constexpr Inferred infer(InputShapes in) const {
    if (in[0].rank != 3) return broken(Error::spatial_layer_after_flat, in[0].rank, 3);
    if (padding.smallest() < 0) return mistaken(Mistake::negative_padding, padding.smallest(), 0);
    return shaped(Shape::image(in[0].height + padding.top + padding.bottom,
                               in[0].width + padding.left + padding.right, in[0].channels));
  }
  template <Diagnostic d, int layer, Name layer_name>
  static consteval bool report() {
    if constexpr (d.rule == static_cast<int>(Mistake::negative_padding))
      return errors::negative_zero_padding<layer, layer_name, d.got>::ok;
    else
      return errors::unreported_layer_rule<layer, layer_name, d.rule>::ok;
  }
  CNN_NO_PARAMETERS
};

}  // namespace cnn
