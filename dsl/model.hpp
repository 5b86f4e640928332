// A complete model: a fixed-size array of Nodes in topological order (a Sequential's in
// declaration order, a functional model's in Keras's model.layers order), its name, which
// node is the output, and the first Diagnostic found while it was built.
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

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

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
  // The same model with its layers [0, count) not trainable, as Keras's
  // `for layer in model.layers[:count]: layer.trainable = False` (InceptionV3's fine-tuning
  // freezes the first 213). A frozen layer's weights get no gradient and stay as loaded; a
  // frozen BatchNormalization normalizes with its moving statistics and leaves them as they
  // are, in training too (Keras's rule since TF 2.0); the backward pass stops at the lowest
  // layer that still learns.
  constexpr ModelGraph frozen_below(int count) const {
    if (count < 0 || count > static_cast<int>(N))
      throw std::invalid_argument("frozen_below: the model has not that many layers");
    ModelGraph m = *this;
    for (int i = 0; i < count; ++i) m.nodes[static_cast<std::size_t>(i)].trainable = false;
    return m;
  }
  // The same model under another name: a variant (a frozen base, say) reports, saves and
  // checkpoints as itself, not as the model it was made from.
  constexpr ModelGraph named(Name new_name) const {
    ModelGraph m = *this;
    m.name = new_name;
    return m;
  }
  // Index of the layer called `layer_name`, or -1.
  constexpr int find(std::string_view layer_name) const {
    for (std::size_t i = 0; i < N; ++i)
      if (nodes[i].name.view() == layer_name) return static_cast<int>(i);
    return -1;
  }
};

namespace detail {
// Keras's `model.layers` order for a functional model (keras/src/ops/function.py, map_graph;
// Keras 2's Network the same): deepest first, a node's depth being its longest path to the
// output; ties in the order a depth-first walk from the output first reaches them, each
// node's inputs in order. Keras's layer indices ("freeze the first 213 layers") and its
// weight files' layer order are this order. Nodes the walk never reaches keep their
// creation order, last.
constexpr void keras_order(Graph& g, int& output) {
  const int n = static_cast<int>(g.nodes.size());
  if (output < 0 || output >= n) return;
  // Filled by push_back: clang cannot run libstdc++'s filling constructor in a constant
  // expression (nor vector<bool> at all).
  const auto filled = [n](int value) {
    std::vector<int> v;
    for (int i = 0; i < n; ++i) v.push_back(value);
    return v;
  };
  std::vector<int> reached = filled(-1), finished = filled(0), depth = filled(0), finished_order;
  std::vector<std::pair<int, int>> stack{{output, 0}};  // (node, its next input)
  int counter = 0;
  reached[static_cast<std::size_t>(output)] = counter++;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const Node& nd = g.nodes[static_cast<std::size_t>(node)];
    if (next < nd.input_count) {
      const int in = nd.input(next++);
      if (!finished[static_cast<std::size_t>(in)] && reached[static_cast<std::size_t>(in)] < 0) {
        reached[static_cast<std::size_t>(in)] = counter++;
        stack.emplace_back(in, 0);
      }
      continue;
    }
    finished[static_cast<std::size_t>(node)] = 1;
    finished_order.push_back(node);
    stack.pop_back();
  }
  for (auto it = finished_order.rbegin(); it != finished_order.rend(); ++it) {
    const Node& nd = g.nodes[static_cast<std::size_t>(*it)];
    for (int k = 0; k < nd.input_count; ++k) {
      int& d = depth[static_cast<std::size_t>(nd.input(k))];
      d = std::max(d, depth[static_cast<std::size_t>(*it)] + 1);
    }
  }
  std::vector<int> order = filled(0);
  for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const bool ra = reached[static_cast<std::size_t>(a)] >= 0;
    const bool rb = reached[static_cast<std::size_t>(b)] >= 0;
    if (ra != rb) return ra;
    if (!ra) return a < b;
    if (depth[static_cast<std::size_t>(a)] != depth[static_cast<std::size_t>(b)])
      return depth[static_cast<std::size_t>(a)] > depth[static_cast<std::size_t>(b)];
    return reached[static_cast<std::size_t>(a)] < reached[static_cast<std::size_t>(b)];
  });
  std::vector<int> position = filled(0);
  for (int i = 0; i < n; ++i)
    position[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = i;
  std::vector<Node> sorted;
  for (int old : order) {
    Node nd = g.nodes[static_cast<std::size_t>(old)];
    for (int k = 0; k < nd.input_count; ++k)
      nd.inputs[static_cast<std::size_t>(k)] = position[static_cast<std::size_t>(nd.input(k))];
    sorted.push_back(nd);
  }
  g.nodes = sorted;
  output = position[static_cast<std::size_t>(output)];
}

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
  g.finish();  // Keras's automatic names, in creation order as Keras gives them
  if (ends.inputs.index != 0) g.note(Diagnostic{Error::no_input_first, 0, 0, 0});
  int output = ends.outputs.index;
  if (g.first_error.ok()) detail::keras_order(g, output);
  return detail::freeze<n>(g, name, true, output);
}

}  // namespace cnn
