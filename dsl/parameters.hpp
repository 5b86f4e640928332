// Where each layer's weights live: two flat float32 buffers, llm.c-style, one for the
// trainable parameters (kernels, biases, gamma, beta) and one for the state that training
// updates without gradients (BatchNormalization's moving statistics).
//
// Contract: tensors are laid out in layer order, each in Keras's layout (each kind's parameters()
// says which), row-major, so that a tensor's flat index is Keras's own. codegen/ and runtime/ both
// read this table; it is the one source of truth.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "node.hpp"

namespace cnn {

struct TensorSlot {
  int node = 0;
  TensorRole role = TensorRole::kernel;
  int rank = 1;
  std::array<int, 4> shape{};  // Keras's order, outermost first
  long long offset = 0;        // into the params or the state buffer
  long long size = 0;

  std::string name(std::span<const Node> nodes) const {
    return std::string(nodes[static_cast<std::size_t>(node)].name.view()) + "/" +
           std::string(role_name(role));
  }
};

struct ParameterTable {
  std::vector<TensorSlot> slots;
  long long params_size = 0;
  long long state_size = 0;

  const TensorSlot* find(int node, TensorRole role) const {
    for (const auto& s : slots)
      if (s.node == node && s.role == role) return &s;
    return nullptr;
  }
};

inline ParameterTable parameter_table(std::span<const Node> nodes) {
  ParameterTable table;
  auto add = [&](int node, TensorRole role, std::initializer_list<int> shape) {
    TensorSlot s;
    s.node = node;
    s.role = role;
    s.rank = static_cast<int>(shape.size());
    s.size = 1;
    int i = 0;
    for (int d : shape) {
      s.shape[static_cast<std::size_t>(i++)] = d;
      s.size *= d;
    }
    long long& cursor = in_state_buffer(role) ? table.state_size : table.params_size;
    s.offset = cursor;
    cursor += s.size;
    table.slots.push_back(s);
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    const Shape in =
        n.input_count > 0 ? nodes[static_cast<std::size_t>(n.input(0))].output : Shape{};
    visit(n, [&](const auto& layer) {
      layer.parameters(in, [&](TensorRole role, std::initializer_list<int> shape) {
        add(static_cast<int>(i), role, shape);
      });
    });
  }
  return table;
}

}  // namespace cnn
