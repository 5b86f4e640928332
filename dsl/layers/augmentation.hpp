// What the augmentation layers share: Keras's factor ranges and fill modes. Each of them is
// active in training only and the identity in inference, as in Keras, and needs an image.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

enum class FlipMode { horizontal, vertical, horizontal_and_vertical };
enum class FillMode { reflect, wrap, constant, nearest };

// Keras's spellings of the modes, as its configs write them.
constexpr std::string_view mode_name(FlipMode m) {
  switch (m) {
    case FlipMode::horizontal: return "horizontal";
    case FlipMode::vertical: return "vertical";
    case FlipMode::horizontal_and_vertical: return "horizontal_and_vertical";
  }
  return "horizontal_and_vertical";
}
constexpr std::string_view mode_name(FillMode m) {
  switch (m) {
    case FillMode::reflect: return "reflect";
    case FillMode::wrap: return "wrap";
    case FillMode::constant: return "constant";
    case FillMode::nearest: return "nearest";
  }
  return "reflect";
}

// A Keras factor: `0.2` means [-0.2, 0.2]; `{-0.1, 0.3}` is taken as written.
struct Range {
  double lower = 0;
  double upper = 0;
  constexpr Range() = default;
  constexpr Range(double f) : lower(f < 0 ? f : -f), upper(f < 0 ? -f : f) {}  // NOLINT
  constexpr Range(double lo, double hi) : lower(lo), upper(hi) {}
  constexpr bool zero() const { return lower == 0 && upper == 0; }
};

}  // namespace cnn
