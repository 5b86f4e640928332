// Activation functions, standalone (Activation layer) and as the gradient step every layer
// with an `activation` argument takes before its own backward rule.
#include "codegen/rules.hpp"

namespace cnn::codegen {

// The gradient with respect to the pre-activation, from the gradient w.r.t. the output.
// Not registered: the caller decides where it is materialized.
Func logits_gradient(const Node& node, const NodeFuncs& f, Upstream up,
                     const Shape& shape) {
  const std::vector<Var> a = args_of(shape);
  Func dz(std::string(node.name.view()) + "_d_logits");
  if (up.d_logits || node.activation == ActivationFn::linear) {
    dz(a) = up.d_out(a);
  } else if (node.activation == ActivationFn::softmax) {
    // dz = y * (dy - sum_k dy_k y_k), summed over channels.
    RDom k(0, shape.channels);
    std::vector<Var> rest(a.begin() + 1, a.end());
    auto at = [&](Expr ch) {
      std::vector<Expr> args{ch};
      args.insert(args.end(), rest.begin(), rest.end());
      return args;
    };
    Func dot(std::string(node.name.view()) + "_softmax_dot");
    dot(rest) = Halide::sum(up.d_out(at(k)) * f.out(at(k)));
    dz(a) = f.out(a) * (up.d_out(a) - dot(rest));
  } else {
    dz(a) = up.d_out(a) * activation_derivative_from_output(node.activation, f.out(a));
  }
  return dz;
}

// Applies the node's activation to `z`, recording both when they differ.
NodeFuncs with_activation(Context& ctx, const Node& node, Func z, const Shape& shape) {
  NodeFuncs f;
  if (node.activation == ActivationFn::linear) {
    f.out = z;
    return f;
  }
  f.logits = z;
  const std::string name(node.name.view());
  if (node.activation == ActivationFn::softmax) {
    f.out = softmax_over_channels(z, shape, name + "_softmax");
  } else {
    const std::vector<Var> a = args_of(shape);
    Func out(name + "_" + std::string(activation_name(node.activation)));
    out(a) = activate(node.activation, z(a));
    f.out = out;  // inline: consumers recompute it more cheaply than they would reload it
    return f;
  }
  ctx.lowered.add(f.out, shape.rank == 1 ? Role::pointwise_flat : Role::pointwise_image, &node);
  return f;
}

NodeFuncs activation_forward(Context& ctx, const Node& node, const Inputs& in) {
  return with_activation(ctx, node, in[0]->out, node.output);
}

InputGrads activation_backward(Context& ctx, const Node& node, const Inputs&, const NodeFuncs& f,
                               Upstream up, const std::vector<bool>&) {
  Func dz = logits_gradient(node, f, up, node.output);
  ctx.lowered.add(dz, node.output.rank == 1 ? Role::pointwise_flat : Role::pointwise_image, &node);
  return {dz};
}

}  // namespace cnn::codegen
