// The activation step shared by the rules of layers that have an `activation` argument.
#pragma once

#include "codegen/rules.hpp"

namespace cnn::codegen {

// Applies `activation` to `z`, recording both when they differ.
NodeFuncs with_activation(Context& ctx, const Node& node, ActivationFn activation, Func z,
                          const Shape& shape);
// The gradient with respect to the pre-activation, from the gradient w.r.t. the output.
Func logits_gradient(const Node& node, ActivationFn activation, const NodeFuncs& f, Upstream up,
                     const Shape& shape);

}  // namespace cnn::codegen
