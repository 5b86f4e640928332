// The activation step of every layer with an `activation` argument (Conv2D, Dense,
// Activation): applied after the layer's own forward, undone before its own backward.
#include "codegen/rules/activation_step.hpp"

namespace cnn::codegen {

// The gradient with respect to the pre-activation, from the gradient w.r.t. the output.
// Not registered: the caller decides where it is materialized.
Func logits_gradient(const Node& node, ActivationFn activation, const NodeFuncs& f, Upstream up,
                     const Shape& shape) {
  const std::vector<Var> a = args_of(shape);
  Func dz(std::string(node.name.view()) + "_d_logits");
  if (up.d_logits || activation == ActivationFn::linear) {
    dz(a) = up.d_out(a);
  } else if (activation == ActivationFn::softmax) {
    // dz = y * (dy - sum_k dy_k y_k), summed over channels.
    RDom k(0, shape.channels);
    std::vector<Var> rest(a.begin() + 1, a.end());
    Func dot(std::string(node.name.view()) + "_softmax_dot");
    dot(rest) = Halide::sum(up.d_out(at_channel(k, a)) * f.out(at_channel(k, a)));
    dz(a) = f.out(a) * (up.d_out(a) - dot(rest));
  } else {
    dz(a) = up.d_out(a) * activation_derivative_from_output(activation, f.out(a));
  }
  return dz;
}

// Applies the node's activation to `z`, recording both when they differ.
NodeFuncs with_activation(Context& ctx, const Node& node, ActivationFn activation, Func z,
                          const Shape& shape) {
  NodeFuncs f;
  if (activation == ActivationFn::linear) {
    f.out = z;
    return f;
  }
  f.logits = z;
  const std::string name(node.name.view());
  if (activation == ActivationFn::softmax) {
    f.out = softmax_over_channels(z, shape, name + "_softmax");
  } else {
    const std::vector<Var> a = args_of(shape);
    Func out(name + "_" + std::string(activation_name(activation)));
    out(a) = activate(activation, z(a));
    // Computed as the layer's reduction finishes each block when the schedule wants it
    // (a convolution reads each input 9 times per output-channel block: recomputing it
    // there would take the FMA ports' slots); otherwise inlined into its consumers.
    ctx.lowered.follow(z, out);
    f.out = out;
    return f;
  }
  ctx.lowered.add(f.out, pointwise(shape));
  return f;
}

}  // namespace cnn::codegen
