// A model described for people: Keras's model.summary() table (its graph: model_dot.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model.hpp"

namespace cnn {

// 1199882 -> "1,199,882", as Python's '{:,}'.
inline std::string with_thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

// "(None, 26, 26, 32)" or "(None, 128)".
inline std::string shape_text(const Shape& s) {
  if (s.rank == 1) return "(None, " + std::to_string(s.channels) + ")";
  return "(None, " + std::to_string(s.height) + ", " + std::to_string(s.width) + ", " +
         std::to_string(s.channels) + ")";
}

namespace detail {
// Keras's print_row: each field cut at its column's right edge, one space kept before the next.
inline std::string summary_row(const std::vector<std::string>& fields,
                               const std::vector<std::size_t>& positions) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line = line.substr(0, line.size() - 1) + ' ';
    line += fields[i];
    line = line.substr(0, positions[i]);
    line.append(positions[i] - line.size(), ' ');
  }
  return line + '\n';
}
}  // namespace detail

template <std::size_t N>
std::string summary(const ModelGraph<N>& m) {
  // As Keras's print_summary: a functional model is printed with its connections unless it
  // is "sequential-like" (no layer takes several inputs); either way it lists its Input.
  bool merges = false;
  for (const Node& n : m.nodes) merges = merges || n.input_count > 1;
  const bool connections = m.functional && merges;
  const std::size_t width = connections ? 98 : 65;
  const std::vector<std::size_t> positions =
      connections ? std::vector<std::size_t>{32, 53, 65, 98} : std::vector<std::size_t>{29, 55, 65};
  std::vector<std::string> header{"Layer (type)", "Output Shape", "Param #"};
  if (connections) header.push_back("Connected to");

  std::string out = "Model: \"" + std::string(m.name.view()) + "\"\n";
  out += std::string(width, '_') + '\n';
  out += detail::summary_row(header, positions);
  out += std::string(width, '=') + '\n';
  const std::size_t first = m.functional ? 0 : 1;  // Sequential hides its InputLayer
  for (std::size_t i = first; i < N; ++i) {
    const Node& n = m.nodes[i];
    std::vector<std::string> row{
        std::string(n.name.view()) + " (" + std::string(class_name(n.kind)) + ")",
        n.kind == LayerKind::input ? "[" + shape_text(n.output) + "]" : shape_text(n.output),
        std::to_string(n.params())};
    if (connections) {
      std::vector<std::string> links;
      for (int k = 0; k < n.input_count; ++k)
        links.push_back(std::string(m.nodes[static_cast<std::size_t>(n.input(k))].name.view()) +
                        "[0][0]");
      row.push_back(links.empty() ? "[]" : links[0]);
      out += detail::summary_row(row, positions);
      for (std::size_t k = 1; k < links.size(); ++k)
        out += detail::summary_row({"", "", "", links[k]}, positions);
    } else {
      out += detail::summary_row(row, positions);
    }
    out += std::string(width, i + 1 == N ? '=' : '_') + '\n';
  }
  out += "Total params: " + with_thousands(m.total_params()) + '\n';
  out += "Trainable params: " + with_thousands(m.trainable_params()) + '\n';
  out += "Non-trainable params: " + with_thousands(m.non_trainable_params()) + '\n';
  out += std::string(width, '_') + '\n';
  return out;
}

}  // namespace cnn
