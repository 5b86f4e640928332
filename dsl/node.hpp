// One layer of a model as the compiler sees it: its kind and that kind's own struct (its
// Keras arguments, typed), the nodes it reads, and what shape inference derived.
//
// codegen/ and runtime/ only ever read Nodes. A Node is a structural type, so a whole model
// can be a template argument; its arguments sit in a union of the registered kinds, so that
// reading another kind's arguments is an error in a constant expression.
#pragma once

#include <array>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "layers.hpp"

namespace cnn {

#define CNN_KIND_DEFINED(Type, member)                                \
  static_assert(LayerDefinition<Type>, #Type                          \
                " is registered in dsl/layers.hpp but lacks part of " \
                "what dsl/layer.hpp asks of a layer kind");
CNN_LAYER_KINDS(CNN_KIND_DEFINED)
#undef CNN_KIND_DEFINED

enum class LayerKind {
#define CNN_KIND_ENUMERATOR(Type, member) member,
  CNN_LAYER_KINDS(CNN_KIND_ENUMERATOR)
#undef CNN_KIND_ENUMERATOR
};

template <class L>
inline constexpr bool is_layer_kind = false;
#define CNN_KIND_IS_LAYER(Type, member) \
  template <>                           \
  inline constexpr bool is_layer_kind<Type> = true;
CNN_LAYER_KINDS(CNN_KIND_IS_LAYER)
#undef CNN_KIND_IS_LAYER

// A registered layer kind, as declared in a model.
template <class L>
concept Layer = is_layer_kind<L>;

template <Layer L>
inline constexpr LayerKind kind_of = LayerKind::input;
#define CNN_KIND_OF(Type, member) \
  template <>                     \
  inline constexpr LayerKind kind_of<Type> = LayerKind::member;
CNN_LAYER_KINDS(CNN_KIND_OF)
#undef CNN_KIND_OF

// The struct of a kind: kind_type<LayerKind::conv2d> is Conv2D.
template <LayerKind k>
struct kind_type;
#define CNN_KIND_TYPE(Type, member)     \
  template <>                           \
  struct kind_type<LayerKind::member> { \
    using type = Type;                  \
  };
CNN_LAYER_KINDS(CNN_KIND_TYPE)
#undef CNN_KIND_TYPE

union LayerArguments {
#define CNN_KIND_MEMBER(Type, member) Type member;
  CNN_LAYER_KINDS(CNN_KIND_MEMBER)
#undef CNN_KIND_MEMBER
  constexpr LayerArguments() : input{} {}
};

inline constexpr int kMaxNodeInputs = 8;

struct Node {
  LayerKind kind = LayerKind::input;
  Name name{};  // the layer's name, automatic ones included (its struct's may be empty)
  bool trainable = true;
  std::array<int, kMaxNodeInputs> inputs{};
  int input_count = 0;
  LayerArguments arguments{};

  // Derived by shape inference.
  Shape output{};
  long long trainable_params = 0;
  long long non_trainable_params = 0;
  long long macs = 0;  // multiply-accumulates per sample

  constexpr int input(int i) const { return inputs[static_cast<std::size_t>(i)]; }
  constexpr long long params() const { return trainable_params + non_trainable_params; }

  // The layer's own struct: `node.as<Conv2D>().filters`.
  template <Layer L>
  constexpr const L& as() const {
    if (kind != kind_of<L>) throw std::logic_error("Node::as: the node is of another kind");
#define CNN_KIND_MEMBER_OF(Type, member) \
  if constexpr (std::is_same_v<L, Type>) \
    return arguments.member;             \
  else
    CNN_LAYER_KINDS(CNN_KIND_MEMBER_OF)
#undef CNN_KIND_MEMBER_OF
    return arguments.input;  // not reached: L is registered
  }
};

// Calls `f` with the node's own struct, typed: the one switch over kinds.
template <class F>
constexpr decltype(auto) visit(const Node& n, F&& f) {
  switch (n.kind) {
#define CNN_KIND_CASE(Type, member) \
  case LayerKind::member: return f(n.arguments.member);
    CNN_LAYER_KINDS(CNN_KIND_CASE)
#undef CNN_KIND_CASE
  }
  throw std::logic_error("a node of no registered layer kind");
}

// A Node holding `layer`.
template <Layer L>
constexpr Node node_of(const L& layer) {
  Node n;
  n.kind = kind_of<L>;
  n.name = layer.name;
// construct_at, not assignment: Clang takes only that as changing a union's active member
// in a constant expression.
#define CNN_KIND_ASSIGN(Type, member) \
  if constexpr (std::is_same_v<L, Type>) std::construct_at(&n.arguments.member, layer);
  CNN_LAYER_KINDS(CNN_KIND_ASSIGN)
#undef CNN_KIND_ASSIGN
  if constexpr (requires { layer.trainable; }) n.trainable = layer.trainable;
  return n;
}

// Keras's snake_case base for automatic names.
constexpr std::string_view snake_name(LayerKind k) {
  switch (k) {
#define CNN_KIND_CASE(Type, member) \
  case LayerKind::member: return Type::snake_name;
    CNN_LAYER_KINDS(CNN_KIND_CASE)
#undef CNN_KIND_CASE
  }
  return "layer";
}

// Keras's class name, as summary() prints it and saved files record it.
constexpr std::string_view class_name(LayerKind k) {
  switch (k) {
#define CNN_KIND_CASE(Type, member) \
  case LayerKind::member: return Type::keras_class;
    CNN_LAYER_KINDS(CNN_KIND_CASE)
#undef CNN_KIND_CASE
  }
  return "Layer";
}

// Whether the node draws at random in training (Dropout, the augmentation layers: their
// kinds say `draws_at_random`), so that its output differs from one step to the next.
constexpr bool draws_at_random(const Node& n) {
  return visit(n, [](const auto& layer) {
    return requires { std::remove_cvref_t<decltype(layer)>::draws_at_random; };
  });
}

// The node's activation function: its `activation` argument, or linear for kinds without.
constexpr ActivationFn activation_of(const Node& n) {
  return visit(n, [](const auto& layer) {
    if constexpr (requires { layer.activation; })
      return layer.activation;
    else
      return ActivationFn::linear;
  });
}

}  // namespace cnn
