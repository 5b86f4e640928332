// What the runtime knows of a model: its layers, its parameter table, its summary, and an
// architecture fingerprint that weights files carry so that a file of another model is
// refused. Built from the constexpr model once, at start-up.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "dsl/model.hpp"
#include "dsl/parameters.hpp"
#include "dsl/summary.hpp"

namespace cnn::runtime {

struct ModelInfo {
  std::string name;
  std::vector<Node> nodes;
  int output = 0;
  ParameterTable table;
  std::string summary;

  template <std::size_t N>
  static ModelInfo of(const ModelGraph<N>& m) {
    ModelInfo info;
    info.name = std::string(m.name.view());
    info.nodes.assign(m.nodes.begin(), m.nodes.end());
    info.output = m.output;
    info.table = parameter_table(info.nodes);
    info.summary = cnn::summary(m);
    return info;
  }

  Shape input_shape() const { return nodes.front().output; }
  int classes() const { return nodes[static_cast<std::size_t>(output)].output.channels; }
  // Hex digest of the layers' kinds, arguments and tensor shapes (not of names or weights).
  std::string fingerprint() const;
};

}  // namespace cnn::runtime
