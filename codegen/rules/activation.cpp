// Activation: the activation step alone.
#include "codegen/rules/activation_step.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const Activation& layer, const Inputs& in) {
  return with_activation(ctx, node, layer.activation, in[0]->out, node.output);
}

InputGrads backward(Context& ctx, const Node& node, const Activation& layer, const Inputs&,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>&) {
  Func dz = logits_gradient(node, layer.activation, f, up, node.output);
  ctx.lowered.add(dz, pointwise(node.output));
  return {dz};
}

}  // namespace cnn::codegen
