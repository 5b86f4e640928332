// One layer of a model as the compiler sees it: its kind, its Keras arguments, the nodes it
// reads, and what shape inference derived (output shape, parameter and MAC counts).
//
// Every user-facing layer struct (layers.hpp) lowers to a Node; codegen/ and runtime/ only
// ever read Nodes. A Node is a structural type, so a whole model can be a template argument.
#pragma once

#include <array>
#include <string_view>

#include "name.hpp"
#include "shape.hpp"

namespace cnn {

enum class LayerKind {
  input,
  conv2d,
  max_pooling2d,
  average_pooling2d,
  global_average_pooling2d,
  flatten,
  dense,
  dropout,
  batch_normalization,
  activation,
  random_flip,
  random_translation,
  random_rotation,
  random_zoom,
  add,
  concatenate,
};

enum class ActivationFn { linear, relu, sigmoid, tanh, softmax };
inline constexpr ActivationFn linear = ActivationFn::linear;
inline constexpr ActivationFn relu = ActivationFn::relu;
inline constexpr ActivationFn sigmoid = ActivationFn::sigmoid;
inline constexpr ActivationFn tanh = ActivationFn::tanh;
inline constexpr ActivationFn softmax = ActivationFn::softmax;

enum class FlipMode { horizontal, vertical, horizontal_and_vertical };
enum class FillMode { reflect, wrap, constant, nearest };

// A Keras factor: `0.2` means [-0.2, 0.2]; `{-0.1, 0.3}` is taken as written.
struct Range {
  double lower = 0;
  double upper = 0;
  constexpr Range() = default;
  constexpr Range(double f) : lower(f < 0 ? f : -f), upper(f < 0 ? -f : f) {}  // NOLINT
  constexpr Range(double lo, double hi) : lower(lo), upper(hi) {}
  constexpr bool zero() const { return lower == 0 && upper == 0; }
};

inline constexpr int kMaxNodeInputs = 8;

struct Node {
  LayerKind kind = LayerKind::input;
  Name name{};
  bool trainable = true;
  std::array<int, kMaxNodeInputs> inputs{};
  int input_count = 0;

  // Keras arguments; each kind reads the ones it has.
  int units = 0;  // Conv2D filters, Dense units
  Size2 window{1, 1};  // Conv2D kernel_size, pooling pool_size
  Size2 strides{1, 1};
  Padding padding = Padding::valid;
  ActivationFn activation = ActivationFn::linear;
  bool use_bias = true;
  double rate = 0;  // Dropout
  double momentum = 0.99;  // BatchNormalization
  double epsilon = 1e-3;
  Range height_factor{};  // RandomTranslation, RandomZoom; RandomRotation's factor
  Range width_factor{};
  FlipMode flip = FlipMode::horizontal_and_vertical;
  FillMode fill = FillMode::reflect;
  Shape input_shape{};  // Input: the declared shape

  // Derived by shape inference.
  Shape output{};
  long long trainable_params = 0;
  long long non_trainable_params = 0;
  long long macs = 0;  // multiply-accumulates per sample

  constexpr int input(int i) const { return inputs[static_cast<std::size_t>(i)]; }
  constexpr long long params() const { return trainable_params + non_trainable_params; }
};

// Keras's snake_case base for automatic names.
constexpr std::string_view snake_name(LayerKind k) {
  switch (k) {
    case LayerKind::input: return "input";
    case LayerKind::conv2d: return "conv2d";
    case LayerKind::max_pooling2d: return "max_pooling2d";
    case LayerKind::average_pooling2d: return "average_pooling2d";
    case LayerKind::global_average_pooling2d: return "global_average_pooling2d";
    case LayerKind::flatten: return "flatten";
    case LayerKind::dense: return "dense";
    case LayerKind::dropout: return "dropout";
    case LayerKind::batch_normalization: return "batch_normalization";
    case LayerKind::activation: return "activation";
    case LayerKind::random_flip: return "random_flip";
    case LayerKind::random_translation: return "random_translation";
    case LayerKind::random_rotation: return "random_rotation";
    case LayerKind::random_zoom: return "random_zoom";
    case LayerKind::add: return "add";
    case LayerKind::concatenate: return "concatenate";
  }
  return "layer";
}

// Keras's class name, as summary() prints it.
constexpr std::string_view class_name(LayerKind k) {
  switch (k) {
    case LayerKind::input: return "InputLayer";
    case LayerKind::conv2d: return "Conv2D";
    case LayerKind::max_pooling2d: return "MaxPooling2D";
    case LayerKind::average_pooling2d: return "AveragePooling2D";
    case LayerKind::global_average_pooling2d: return "GlobalAveragePooling2D";
    case LayerKind::flatten: return "Flatten";
    case LayerKind::dense: return "Dense";
    case LayerKind::dropout: return "Dropout";
    case LayerKind::batch_normalization: return "BatchNormalization";
    case LayerKind::activation: return "Activation";
    case LayerKind::random_flip: return "RandomFlip";
    case LayerKind::random_translation: return "RandomTranslation";
    case LayerKind::random_rotation: return "RandomRotation";
    case LayerKind::random_zoom: return "RandomZoom";
    case LayerKind::add: return "Add";
    case LayerKind::concatenate: return "Concatenate";
  }
  return "Layer";
}

constexpr std::string_view activation_name(ActivationFn a) {
  switch (a) {
    case ActivationFn::linear: return "linear";
    case ActivationFn::relu: return "relu";
    case ActivationFn::sigmoid: return "sigmoid";
    case ActivationFn::tanh: return "tanh";
    case ActivationFn::softmax: return "softmax";
  }
  return "linear";
}

constexpr bool is_augmentation(LayerKind k) {
  return k == LayerKind::random_flip || k == LayerKind::random_translation ||
         k == LayerKind::random_rotation || k == LayerKind::random_zoom;
}

constexpr bool is_spatial(LayerKind k) {
  return k == LayerKind::conv2d || k == LayerKind::max_pooling2d ||
         k == LayerKind::average_pooling2d || k == LayerKind::global_average_pooling2d ||
         is_augmentation(k);
}

}  // namespace cnn
