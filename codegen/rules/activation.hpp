// The activation step shared by the rules of layers that have an `activation` argument.
#pragma once

#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs with_activation(Context& ctx, const Node& node, Func z, const Shape& shape);
Func logits_gradient(const Node& node, const NodeFuncs& f, Upstream up,
                     const Shape& shape);

}  // namespace cnn::codegen
