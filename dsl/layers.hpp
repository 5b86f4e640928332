// The layers a model is declared with: Keras's names, arguments, order and defaults.
//
// Each is an aggregate written with designated initializers,
//   Conv2D{.filters = 32, .kernel_size = 3, .activation = relu}
// and does two things: node() lowers its arguments to a Node, and calling it on a Tensor
// appends it to that Tensor's Graph (the functional form). Arguments are only recorded
// here; whether they make sense is decided by shape inference (infer.hpp).
#pragma once

#include "graph.hpp"
#include "node.hpp"

namespace cnn {

namespace detail {
constexpr Node node_of(LayerKind kind, const Name& name, bool trainable) {
  Node n;
  n.kind = kind;
  n.name = name;
  n.trainable = trainable;
  return n;
}
}  // namespace detail

#define CNN_LAYER_CALL \
  constexpr Tensor operator()(Tensor x) const { return x.graph->add(node(), x); }

struct Input {
  int height = 0;
  int width = 0;
  int channels = 0;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::input, name, true);
    n.input_shape = Shape::image(height, width, channels);
    return n;
  }
  constexpr Tensor operator()(Graph& g) const { return g.add(node(), nullptr, 0); }
};

struct Conv2D {
  int filters = 0;
  Size2 kernel_size{0};
  Size2 strides{1};
  Padding padding = Padding::valid;
  ActivationFn activation = ActivationFn::linear;
  bool use_bias = true;
  Name name{};
  bool trainable = true;
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::conv2d, name, trainable);
    n.units = filters;
    n.window = kernel_size;
    n.strides = strides;
    n.padding = padding;
    n.activation = activation;
    n.use_bias = use_bias;
    return n;
  }
  CNN_LAYER_CALL
};

namespace detail {
constexpr Node pooling_node(LayerKind kind, Size2 pool_size, Size2 strides, Padding padding,
                            const Name& name) {
  Node n = node_of(kind, name, true);
  n.window = pool_size;
  n.strides = strides;  // unset: pool_size, filled in by shape inference
  n.padding = padding;
  return n;
}
}  // namespace detail

struct MaxPooling2D {
  Size2 pool_size{2};
  Size2 strides = Size2::defaulted();
  Padding padding = Padding::valid;
  Name name{};
  constexpr Node node() const {
    return detail::pooling_node(LayerKind::max_pooling2d, pool_size, strides, padding, name);
  }
  CNN_LAYER_CALL
};

struct AveragePooling2D {
  Size2 pool_size{2};
  Size2 strides = Size2::defaulted();
  Padding padding = Padding::valid;
  Name name{};
  constexpr Node node() const {
    return detail::pooling_node(LayerKind::average_pooling2d, pool_size, strides, padding, name);
  }
  CNN_LAYER_CALL
};

struct GlobalAveragePooling2D {
  Name name{};
  constexpr Node node() const {
    return detail::node_of(LayerKind::global_average_pooling2d, name, true);
  }
  CNN_LAYER_CALL
};

struct Flatten {
  Name name{};
  constexpr Node node() const { return detail::node_of(LayerKind::flatten, name, true); }
  CNN_LAYER_CALL
};

struct Dense {
  int units = 0;
  ActivationFn activation = ActivationFn::linear;
  bool use_bias = true;
  Name name{};
  bool trainable = true;
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::dense, name, trainable);
    n.units = units;
    n.activation = activation;
    n.use_bias = use_bias;
    return n;
  }
  CNN_LAYER_CALL
};

struct Dropout {
  double rate = 0;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::dropout, name, true);
    n.rate = rate;
    return n;
  }
  CNN_LAYER_CALL
};

struct BatchNormalization {
  double momentum = 0.99;
  double epsilon = 1e-3;
  Name name{};
  bool trainable = true;
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::batch_normalization, name, trainable);
    n.momentum = momentum;
    n.epsilon = epsilon;
    return n;
  }
  CNN_LAYER_CALL
};

struct Activation {
  ActivationFn activation = ActivationFn::linear;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::activation, name, true);
    n.activation = activation;
    return n;
  }
  CNN_LAYER_CALL
};

// Augmentation: active in training only, the identity in inference (as in Keras).
struct RandomFlip {
  FlipMode mode = FlipMode::horizontal_and_vertical;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::random_flip, name, true);
    n.flip = mode;
    return n;
  }
  CNN_LAYER_CALL
};

struct RandomTranslation {
  Range height_factor{};  // fraction of the height
  Range width_factor{};
  FillMode fill_mode = FillMode::reflect;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::random_translation, name, true);
    n.height_factor = height_factor;
    n.width_factor = width_factor;
    n.fill = fill_mode;
    return n;
  }
  CNN_LAYER_CALL
};

struct RandomRotation {
  Range factor{};  // fraction of a full turn, as in Keras
  FillMode fill_mode = FillMode::reflect;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::random_rotation, name, true);
    n.height_factor = factor;
    n.fill = fill_mode;
    return n;
  }
  CNN_LAYER_CALL
};

struct RandomZoom {
  Range height_factor{};
  Range width_factor{};  // zero: the same zoom as the height, as Keras's None
  FillMode fill_mode = FillMode::reflect;
  Name name{};
  constexpr Node node() const {
    Node n = detail::node_of(LayerKind::random_zoom, name, true);
    n.height_factor = height_factor;
    n.width_factor = width_factor;
    n.fill = fill_mode;
    return n;
  }
  CNN_LAYER_CALL
};

#undef CNN_LAYER_CALL

namespace detail {
template <class... T>
constexpr Tensor merge(Node n, Tensor first, T... rest) {
  const int inputs[] = {first.index, rest.index...};
  return first.graph->add(n, inputs, static_cast<int>(sizeof...(T)) + 1);
}
}  // namespace detail

// Merges: `Add{}(x, y)`, `Concatenate{}(a, b, c)` (along channels, Keras's axis=-1).
struct Add {
  Name name{};
  constexpr Node node() const { return detail::node_of(LayerKind::add, name, true); }
  template <class... T>
  constexpr Tensor operator()(Tensor first, T... rest) const {
    return detail::merge(node(), first, rest...);
  }
};

struct Concatenate {
  Name name{};
  constexpr Node node() const { return detail::node_of(LayerKind::concatenate, name, true); }
  template <class... T>
  constexpr Tensor operator()(Tensor first, T... rest) const {
    return detail::merge(node(), first, rest...);
  }
};

template <class L>
concept Layer = requires(const L& layer) {
  { layer.node() } -> std::same_as<Node>;
};

}  // namespace cnn
