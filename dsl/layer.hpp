// What a layer kind is made of, and the pieces its definition shares with others.
//
// A layer kind is one struct in dsl/layers/<kind>.hpp, registered once in dsl/layers.hpp.
// The struct is the layer as a model declares it (Keras's argument names, order and
// defaults, plus `name` and, where Keras lets it, `trainable`), and it provides:
//   keras_class, snake_name   Keras's class name (summary) and automatic-name base
//   CNN_LAYER_CALL            `Conv2D{...}(x)` appends it to x's graph (functional form)
//   infer(inputs)             shape inference: output shape, parameter and MAC counts, or
//                             the first rule the layer breaks (a Diagnostic)
//   parameters(input, add)    its tensors, in Keras's order and layout (TensorRole)
//   report<d, layer, name>()  only for a kind with rules of its own (`Mistake`): the
//                             compile error each of its Mistakes becomes
// Outside dsl/, the same registration asks for the kind's forward and backward lowering
// (codegen/rules/<kind>.cpp), its reference (tests/reference/layers/<kind>.cpp) and its test
// cases (tests/codegen/layers/<kind>.cpp); a kind without one of them does not link.
#pragma once

#include <algorithm>
#include <concepts>
#include <initializer_list>
#include <span>
#include <string_view>

#include "diagnostic.hpp"
#include "model_error.hpp"
#include "name.hpp"
#include "shape.hpp"

namespace cnn {

enum class ActivationFn { linear, relu, sigmoid, tanh, softmax };
inline constexpr ActivationFn linear = ActivationFn::linear;
inline constexpr ActivationFn relu = ActivationFn::relu;
inline constexpr ActivationFn sigmoid = ActivationFn::sigmoid;
inline constexpr ActivationFn tanh = ActivationFn::tanh;
inline constexpr ActivationFn softmax = ActivationFn::softmax;

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

// The tensors a layer owns. Moving statistics live in the state buffer (trained without
// gradients); everything else is a trainable parameter.
enum class TensorRole { kernel, bias, gamma, beta, moving_mean, moving_variance };

constexpr std::string_view role_name(TensorRole r) {
  switch (r) {
    case TensorRole::kernel: return "kernel";
    case TensorRole::bias: return "bias";
    case TensorRole::gamma: return "gamma";
    case TensorRole::beta: return "beta";
    case TensorRole::moving_mean: return "moving_mean";
    case TensorRole::moving_variance: return "moving_variance";
  }
  return "tensor";
}

constexpr bool in_state_buffer(TensorRole r) {
  return r == TensorRole::moving_mean || r == TensorRole::moving_variance;
}

// What shape inference derives for one layer, or the first rule it breaks.
struct Inferred {
  Shape output{};
  long long trainable_params = 0;
  long long non_trainable_params = 0;
  long long macs = 0;  // multiply-accumulates per sample
  Diagnostic problem{};
};

using InputShapes = std::span<const Shape>;

constexpr Inferred shaped(Shape output, long long trainable = 0, long long non_trainable = 0,
                          long long macs = 0) {
  return {output, trainable, non_trainable, macs, {}};
}

// A rule every kind may break (diagnostic.hpp's Error); the layer index is filled in later.
constexpr Inferred broken(Error e, int got = 0, int limit = 0) {
  Inferred r;
  r.problem = Diagnostic{e, -1, got, limit, 0};
  return r;
}

// A rule of the kind's own: its `Mistake` enumerator, reported by its report<>().
template <class Mistake>
constexpr Inferred mistaken(Mistake m, int got = 0, int limit = 0) {
  Inferred r;
  r.problem = Diagnostic{Error::layer_rule, -1, got, limit, static_cast<int>(m)};
  return r;
}

// The smaller of the two extents (for "kernel_size >= 1"-style rules).
constexpr int smallest(Size2 s) { return std::min(s.height, s.width); }

// The output of a window sliding over an image (Conv2D, pooling), channels unchanged.
constexpr Inferred slide_window(const Shape& in, Size2 window, Size2 strides, Padding padding) {
  if (in.rank != 3) return broken(Error::spatial_layer_after_flat, in.rank, 3);
  if (strides.height < 1 || strides.width < 1)
    return broken(Error::zero_strides, smallest(strides), 1);
  const int padded_height =
      in.height + total_padding(in.height, window.height, strides.height, padding);
  if (window.height > padded_height)
    return broken(Error::window_larger_than_input, window.height, padded_height);
  const int padded_width = in.width + total_padding(in.width, window.width, strides.width, padding);
  if (window.width > padded_width)
    return broken(Error::window_larger_than_input, window.width, padded_width);
  return shaped(Shape::image(output_extent(in.height, window.height, strides.height, padding),
                             output_extent(in.width, window.width, strides.width, padding),
                             in.channels));
}

// A layer that needs an image and keeps its shape (augmentation).
constexpr Inferred same_image(const Shape& in) {
  if (in.rank != 3) return broken(Error::spatial_layer_after_flat, in.rank, 3);
  return shaped(in);
}

// A layer that reduces each channel of an image to one value (global pooling).
constexpr Inferred per_channel(const Shape& in) {
  if (in.rank != 3) return broken(Error::spatial_layer_after_flat, in.rank, 3);
  return shaped(Shape::flat(in.channels));
}

// What dsl/ asks of a registered kind (dsl/node.hpp checks each one against it).
template <class L>
concept LayerDefinition = requires(const L& layer, InputShapes in, const Shape& shape) {
  { L::keras_class } -> std::convertible_to<std::string_view>;
  { L::snake_name } -> std::convertible_to<std::string_view>;
  { layer.name } -> std::convertible_to<Name>;
  { layer.infer(in) } -> std::same_as<Inferred>;
  layer.parameters(shape, [](TensorRole, std::initializer_list<int>) {});
};

// A kind without tensors.
#define CNN_NO_PARAMETERS \
  template <class Add>    \
  constexpr void parameters(const Shape&, Add&&) const {}

struct Tensor;
// Defined in graph.hpp, once Node and Graph are complete.
template <class L, class T>
constexpr T append_layer(const L& layer, T x);

// `Conv2D{...}(x)`: a template, so that it is compiled where Graph is complete.
#define CNN_LAYER_CALL                \
  template <class T = Tensor>         \
  constexpr T operator()(T x) const { \
    return append_layer(*this, x);    \
  }

}  // namespace cnn
