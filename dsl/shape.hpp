// Tensor shapes per sample and Keras's rules for the spatial extent of a sliding window.
//
// Contract: a Shape is either rank 3 (height, width, channels; Keras's channels_last) or
// rank 1 (units); the batch dimension is never part of it. output_extent() and
// padding_before() follow tf.keras: 'valid' keeps only whole windows, 'same' gives
// ceil(in / stride) outputs and puts the odd padding pixel after, not before.
#pragma once

#include <climits>

namespace cnn {

enum class Padding { valid, same };
inline constexpr Padding valid = Padding::valid;
inline constexpr Padding same = Padding::same;

// A (height, width) pair written as Keras writes it: `3` or `{3, 5}`.
struct Size2 {
  int height = 0;
  int width = 0;
  constexpr Size2() = default;
  constexpr Size2(int both) : height(both), width(both) {}  // NOLINT: kernel_size=3 as in Keras
  constexpr Size2(int h, int w) : height(h), width(w) {}
  constexpr bool unset() const { return height == INT_MIN; }
  static constexpr Size2 defaulted() { return {INT_MIN, INT_MIN}; }
  friend constexpr bool operator==(const Size2&, const Size2&) = default;
};

struct Shape {
  int rank = 0;  // 3: (height, width, channels); 1: (units)
  int height = 1;
  int width = 1;
  int channels = 0;

  static constexpr Shape image(int h, int w, int c) { return {3, h, w, c}; }
  static constexpr Shape flat(int units) { return {1, 1, 1, units}; }
  constexpr long long elements() const { return static_cast<long long>(height) * width * channels; }
  friend constexpr bool operator==(const Shape&, const Shape&) = default;
};

constexpr int ceil_div(int a, int b) { return (a + b - 1) / b; }

// Number of window positions along one axis (may be <= 0 when the window does not fit).
constexpr int output_extent(int in, int window, int stride, Padding padding) {
  if (padding == Padding::same) return ceil_div(in, stride);
  return in < window ? 0 : (in - window) / stride + 1;
}

// Total zero padding 'same' adds along one axis; 'valid' adds none.
constexpr int total_padding(int in, int window, int stride, Padding padding) {
  if (padding == Padding::valid) return 0;
  const int needed = (output_extent(in, window, stride, padding) - 1) * stride + window - in;
  return needed > 0 ? needed : 0;
}

// Padding before the first pixel: the smaller half, as TensorFlow places it.
constexpr int padding_before(int in, int window, int stride, Padding padding) {
  return total_padding(in, window, stride, padding) / 2;
}

}  // namespace cnn
