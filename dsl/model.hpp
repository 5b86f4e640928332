// A complete model: a fixed-size array of Nodes in topological order, its name, which node
// is the output, and the first Diagnostic found while it was built.
//
// Two ways to declare one, as in the Keras tutorials:
//   constexpr auto m = Sequential("mnist_cnn", Input{28, 28, 1}, Conv2D{...}, ...);
//   constexpr auto m = functional("resnet_block", [](Graph& g) {
//     auto inputs = Input{32, 32, 3}(g);
//     auto x = Conv2D{...}(inputs);
//     return Model(inputs, Add{}(x, inputs));
//   });
// A ModelGraph is a structural type: pass it as a template argument to check<M>() and to
// everything that consumes models (codegen, trainers).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>

#include "graph.hpp"

namespace cnn {

template <std::size_t N>
struct ModelGraph {
  Name name{};
  bool functional = false;
  std::array<Node, N> nodes{};
  int output = static_cast<int>(N) - 1;
  Diagnostic diagnostic{};

  static constexpr std::size_t size() { return N; }
  constexpr const Node& operator[](std::size_t i) const { return nodes[i]; }
  constexpr Shape input_shape() const { return nodes[0].output; }
  constexpr Shape output_shape() const { return nodes[static_cast<std::size_t>(output)].output; }

  constexpr long long trainable_params() const {
    long long total = 0;
    for (const auto& n : nodes) total += n.trainable ? n.trainable_params : 0;
    return total;
  }
  constexpr long long non_trainable_params() const {
    long long total = 0;
    for (const auto& n : nodes)
      total += n.non_trainable_params + (n.trainable ? 0 : n.trainable_params);
    return total;
  }
  constexpr long long total_params() const { return trainable_params() + non_trainable_params(); }
  constexpr long long macs() const {
    long long total = 0;
    for (const auto& n : nodes) total += n.macs;
    return total;
  }
  // Bytes of float32 activations one sample produces in a forward pass, input included.
  constexpr long long activation_bytes() const {
    long long total = 0;
    for (const auto& n : nodes) total += n.output.elements() * 4;
    return total;
  }
  // Index of the layer called `layer_name`, or -1.
  constexpr int find(std::string_view layer_name) const {
    for (std::size_t i = 0; i < N; ++i)
      if (nodes[i].name.view() == layer_name) return static_cast<int>(i);
    return -1;
  }
};

namespace detail {
template <std::size_t N>
constexpr ModelGraph<N> freeze(const Graph& g, const Name& name, bool functional, int output) {
  ModelGraph<N> m;
  m.name = name;
  m.functional = functional;
  for (std::size_t i = 0; i < N; ++i) m.nodes[i] = g.nodes[i];
  m.output = output;
  m.diagnostic = g.first_error;
  return m;
}

template <class... Layers>
constexpr Graph sequential_graph(const Layers&... layers) {
  Graph g;
  Tensor x{&g, -1};
  boost::hana::for_each(boost::hana::make_tuple(layers...), [&](const auto& layer) {
    Node n = node_of(layer);
    if (n.kind == LayerKind::input && x.index >= 0)
      g.note(Diagnostic{Error::input_not_first, static_cast<int>(g.nodes.size()), 0, 0});
    x = g.add(n, x);
  });
  g.finish();
  return g;
}
}  // namespace detail

template <Layer... Layers>
constexpr ModelGraph<sizeof...(Layers)> Sequential(Name name, Layers... layers) {
  static_assert(sizeof...(Layers) > 0, "Sequential needs at least an Input layer");
  const Graph g = detail::sequential_graph(layers...);
  return detail::freeze<sizeof...(Layers)>(g, name, false, sizeof...(Layers) - 1);
}

template <Layer... Layers>
constexpr ModelGraph<sizeof...(Layers)> Sequential(Layers... layers) {
  return Sequential(Name{"sequential"}, layers...);
}

// What a functional builder returns: Keras's `Model(inputs, outputs)`.
struct ModelEnds {
  Tensor inputs;
  Tensor outputs;
};
constexpr ModelEnds Model(Tensor inputs, Tensor outputs) { return {inputs, outputs}; }

// `build` is a captureless lambda `(Graph&) -> ModelEnds`; it runs at compile time, once
// to count the layers and once to fill the model.
template <class Build>
constexpr auto functional(Name name, Build) {
  constexpr std::size_t n = [] {
    Graph g;
    Build{}(g);
    return g.nodes.size();
  }();
  Graph g;
  const ModelEnds ends = Build{}(g);
  g.finish();
  if (ends.inputs.index != 0) g.note(Diagnostic{Error::no_input_first, 0, 0, 0});
  return detail::freeze<n>(g, name, true, ends.outputs.index);
}

}  // namespace cnn
