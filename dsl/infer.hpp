// Shape inference: a Node's output shape, parameters and MACs from its inputs, by its
// kind's infer(); the first rule a node breaks comes back as a Diagnostic.
#pragma once

#include <span>

#include "diagnostic.hpp"
#include "node.hpp"

namespace cnn {

// Infers `n` (at index `layer`) from the output shapes of its inputs.
constexpr Diagnostic infer(Node& n, std::span<const Shape> in, int layer) {
  const Inferred r = visit(n, [&](const auto& kind) { return kind.infer(in); });
  if (!r.problem.ok()) {
    Diagnostic d = r.problem;
    d.layer = layer;
    return d;
  }
  n.output = r.output;
  n.trainable_params = r.trainable_params;
  n.non_trainable_params = r.non_trainable_params;
  n.macs = r.macs;
  return {};
}

}  // namespace cnn
