// A model as a Graphviz DOT graph, drawn as Keras's plot_model (model_to_dot) draws it:
// one record per layer, "name: Class", and with show_shapes its input and output shapes
// beside it; edges from each layer to the layers that read it; top to bottom by default.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "model.hpp"
#include "summary.hpp"

namespace cnn {

// plot_model's arguments, with Keras 2's defaults.
struct PlotOptions {
  bool show_shapes = false;
  bool show_layer_names = true;
  bool show_trainable = false;
  std::string_view rankdir = "TB";  // or "LR", "BT", "RL"
  int dpi = 96;
};

namespace detail {
// A record label's own characters ({ } | < > " \) stand for themselves.
inline std::string record_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '{' || c == '}' || c == '|' || c == '<' || c == '>' || c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

// As Keras prints layer.input_shape: an InputLayer's is a list of its one shape, a merge's
// the list of its inputs' shapes.
inline std::string input_shapes_text(std::span<const Node> nodes, const Node& n) {
  if (n.kind == LayerKind::input) return "[" + shape_text(n.output) + "]";
  if (n.input_count == 1) return shape_text(nodes[static_cast<std::size_t>(n.input(0))].output);
  std::string out = "[";
  for (int k = 0; k < n.input_count; ++k)
    out += (k > 0 ? ", " : "") + shape_text(nodes[static_cast<std::size_t>(n.input(k))].output);
  return out + "]";
}
}  // namespace detail

inline std::string to_dot(std::string_view model_name, std::span<const Node> nodes,
                          const PlotOptions& options = {}) {
  std::string out = "digraph \"" + detail::record_text(model_name) + "\" {\n";
  out += "  rankdir=" + std::string(options.rankdir) + ";\n  concentrate=true;\n";
  out += "  dpi=" + std::to_string(options.dpi) + ";\n";
  out += "  node [shape=record];\n";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    const std::string type(class_name(n.kind));
    std::string label = options.show_layer_names ? std::string(n.name.view()) + ": " + type : type;
    label = detail::record_text(label);
    if (options.show_shapes) {
      const std::string shape_in = detail::input_shapes_text(nodes, n);
      const std::string shape_out =
          n.kind == LayerKind::input ? "[" + shape_text(n.output) + "]" : shape_text(n.output);
      label += "|{input:|output:}|{{" + detail::record_text(shape_in) + "}|{" +
               detail::record_text(shape_out) + "}}";
    }
    if (options.show_trainable) label = (n.trainable ? "T|" : "N|") + label;
    out += "  n" + std::to_string(i) + " [label=\"" + label + "\"];\n";
  }
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (int k = 0; k < nodes[i].input_count; ++k)
      out += "  n" + std::to_string(nodes[i].input(k)) + " -> n" + std::to_string(i) + ";\n";
  out += "}\n";
  return out;
}

template <std::size_t N>
std::string to_dot(const ModelGraph<N>& m, const PlotOptions& options = {}) {
  return to_dot(m.name.view(), std::span<const Node>(m.nodes), options);
}

}  // namespace cnn
