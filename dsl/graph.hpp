// Building a model: the Graph that layers are appended to, and the Tensor handle that the
// functional form passes from layer to layer (`x = Conv2D{...}(x)`).
//
// Contract: nodes are appended in creation order, which is a topological order (a node's
// inputs always come before it). Shape inference runs as each node is appended, so the
// first mistake is found at the layer that makes it.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "infer.hpp"
#include "node.hpp"

namespace cnn {

class Graph;

// The output of one node of a Graph under construction.
struct Tensor {
  Graph* graph = nullptr;
  int index = -1;
};

class Graph {
 public:
  std::vector<Node> nodes;
  Diagnostic first_error{};

  constexpr Tensor add(Node n, const int* inputs, int input_count) {
    const int layer = static_cast<int>(nodes.size());
    if (input_count > kMaxNodeInputs) {
      note(Diagnostic{Error::too_many_inputs, layer, input_count, kMaxNodeInputs});
      input_count = kMaxNodeInputs;
    }
    std::array<Shape, kMaxNodeInputs> in{};
    n.input_count = input_count;
    for (int i = 0; i < input_count; ++i) {
      n.inputs[static_cast<std::size_t>(i)] = inputs[i];
      in[i] = nodes[static_cast<std::size_t>(inputs[i])].output;
    }
    if (n.kind != LayerKind::input && input_count == 0)
      note(Diagnostic{Error::no_input_first, layer, 0, 0});
    else
      note(infer(n, std::span<const Shape>(in.data(), static_cast<std::size_t>(input_count)),
                 layer));
    nodes.push_back(n);
    return Tensor{this, layer};
  }

  constexpr Tensor add(Node n, Tensor x) {
    const int inputs[1] = {x.index};
    return add(n, inputs, x.index < 0 ? 0 : 1);
  }

  constexpr Tensor add_input(const Input& layer) { return add(node_of(layer), nullptr, 0); }

  constexpr void note(Diagnostic d) {
    if (first_error.ok() && !d.ok()) first_error = d;
  }

  // Keras's automatic names (conv2d, conv2d_1, ...; input_1 for inputs), then the rule that
  // names are unique. Called once, when the model is complete.
  constexpr void finish() {
    int counts[32]{};
    for (auto& n : nodes) {
      int& k = counts[static_cast<int>(n.kind)];
      if (n.name.empty())
        n.name = n.kind == LayerKind::input ? Name::numbered("input", k + 1)
                                            : Name::numbered(snake_name(n.kind), k);
      ++k;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (nodes[i].name == nodes[j].name) {
          note(Diagnostic{Error::duplicate_name, static_cast<int>(i), static_cast<int>(j), 0});
          return;
        }
  }
};

template <class L, class T>
constexpr T append_layer(const L& layer, T x) {
  return x.graph->add(node_of(layer), x);
}

template <class L, class T, class... Rest>
constexpr T append_merge(const L& layer, T first, Rest... rest) {
  const int inputs[] = {first.index, rest.index...};
  return first.graph->add(node_of(layer), inputs, static_cast<int>(sizeof...(Rest)) + 1);
}

}  // namespace cnn
