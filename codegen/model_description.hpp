// A model as the generators see it: its nodes in a vector, so that codegen is compiled once
// and each model's generator only supplies the description (see
// generated/model_description.cpp.in).
#pragma once

#include <string>
#include <vector>

#include "dsl/model.hpp"

namespace cnn::codegen {

struct ModelDescription {
  std::string name;
  std::vector<Node> nodes;
  int output = 0;
};

template <std::size_t N>
ModelDescription describe(const ModelGraph<N>& m) {
  return {std::string(m.name.view()), std::vector<Node>(m.nodes.begin(), m.nodes.end()), m.output};
}

// Defined by each model's generator executable.
const ModelDescription& model_to_lower();

}  // namespace cnn::codegen
