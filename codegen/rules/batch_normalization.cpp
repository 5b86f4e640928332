// BatchNormalization over the channel axis: batch statistics in training (and the moving
// averages updated from them, variance Bessel-corrected as TensorFlow's fused kernel and
// PyTorch do), moving averages in inference, and in training too when the layer is frozen
// (Keras's rule for trainable = False: inference mode, the statistics left as they are).
#include "codegen/rules.hpp"

namespace cnn::codegen {

namespace {
// gamma and beta, or 1 and 0 for a layer without `scale` or `center`.
Expr gamma_at(Context& ctx, const Node& node, const BatchNormalization& bn, Expr c) {
  return bn.scale ? ctx.tensor(node, TensorRole::gamma)(c) : Expr(1.0f);
}
Expr beta_at(Context& ctx, const Node& node, const BatchNormalization& bn, Expr c) {
  return bn.center ? ctx.tensor(node, TensorRole::beta)(c) : Expr(0.0f);
}
// Every (x, y, n) of a channel, or every n of a flat unit.
struct ChannelDomain {
  RDom r;
  Expr count;
  std::vector<Expr> at(Expr c) const {
    if (r.dimensions() == 1) return {c, r.x};
    return {c, r.x, r.y, r.z};
  }
};
ChannelDomain channel_domain(const Context& ctx, const Shape& s, const std::string& name) {
  if (s.rank == 1) return {RDom(0, ctx.batch, name), Halide::cast<float>(ctx.batch)};
  return {RDom(0, s.width, 0, s.height, 0, ctx.batch, name),
          Halide::cast<float>(ctx.batch * s.width * s.height)};
}
}  // namespace

NodeFuncs forward(Context& ctx, const Node& node, const BatchNormalization& bn, const Inputs& in) {
  const Dims& d = dims();
  const Shape s = node.output;
  const std::vector<Var> a = args_of(s);
  const std::string name(node.name.view());
  const Expr gamma = gamma_at(ctx, node, bn, d.c), beta = beta_at(ctx, node, bn, d.c);
  Func x = in[0]->out;
  const float eps = static_cast<float>(bn.epsilon);
  NodeFuncs f;
  f.out = Func(name);
  if (!ctx.training || !node.trainable) {
    Func mean = ctx.tensor(node, TensorRole::moving_mean);
    Func var = ctx.tensor(node, TensorRole::moving_variance);
    f.out(a) = gamma * (x(a) - mean(d.c)) / Halide::sqrt(var(d.c) + eps) + beta;
    ctx.lowered.add(f.out, pointwise(s));
    if (ctx.training) {  // frozen: the backward pass scales by the same constant
      f.inv_std = Func(name + "_inv_std");
      f.inv_std(d.c) = 1.0f / Halide::sqrt(var(d.c) + eps);
    }
    return f;
  }
  const ChannelDomain dom = channel_domain(ctx, s, name + "_r");
  f.mean = Func(name + "_mean");
  f.mean(d.c) = 0.0f;
  f.mean(d.c) += x(dom.at(d.c)) / dom.count;
  Func var(name + "_variance");
  var(d.c) = 0.0f;
  var(d.c) += Halide::pow(x(dom.at(d.c)) - f.mean(d.c), 2) / dom.count;
  f.inv_std = Func(name + "_inv_std");
  f.inv_std(d.c) = 1.0f / Halide::sqrt(var(d.c) + eps);
  f.normalized = Func(name + "_normalized");
  f.normalized(a) = (x(a) - f.mean(d.c)) * f.inv_std(d.c);
  f.out(a) = gamma * f.normalized(a) + beta;
  ctx.lowered.add(f.mean, Role::channel_sum);
  ctx.lowered.add(var, Role::channel_sum);
  ctx.lowered.add(f.out, pointwise(s));

  const float momentum = static_cast<float>(bn.momentum);
  Func moving_mean(name + "_new_moving_mean"), moving_var(name + "_new_moving_variance");
  moving_mean(d.c) =
      moving_average<Expr>(ctx.tensor(node, TensorRole::moving_mean)(d.c), f.mean(d.c), momentum);
  moving_var(d.c) = moving_average<Expr>(ctx.tensor(node, TensorRole::moving_variance)(d.c),
                                         unbiased_variance<Expr>(var(d.c), dom.count), momentum);
  ctx.new_state[&ctx.slot(node, TensorRole::moving_mean)] = moving_mean;
  ctx.new_state[&ctx.slot(node, TensorRole::moving_variance)] = moving_var;
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const BatchNormalization& bn, const Inputs&,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>& wanted) {
  const Dims& d = dims();
  const Shape s = node.output;
  const std::vector<Var> a = args_of(s);
  const std::string name(node.name.view());
  if (!node.trainable) {  // frozen: y = gamma * inv_std * x + constants, per channel
    if (!wanted[0]) return {Func()};
    Func dx(name + "_d_input");
    dx(a) = gamma_at(ctx, node, bn, d.c) * f.inv_std(d.c) * up.d_out(a);
    ctx.lowered.add(dx, pointwise(s));
    return {dx};
  }
  const ChannelDomain dom = channel_domain(ctx, s, name + "_rg");
  Func d_gamma(name + "_d_gamma"), d_beta(name + "_d_beta");
  d_gamma(d.c) = 0.0f;
  d_gamma(d.c) += up.d_out(dom.at(d.c)) * f.normalized(dom.at(d.c));
  d_beta(d.c) = 0.0f;
  d_beta(d.c) += up.d_out(dom.at(d.c));
  ctx.lowered.add(d_gamma, Role::channel_sum);
  ctx.lowered.add(d_beta, Role::channel_sum);
  if (bn.scale) ctx.param_grads[&ctx.slot(node, TensorRole::gamma)] = d_gamma;
  if (bn.center) ctx.param_grads[&ctx.slot(node, TensorRole::beta)] = d_beta;
  if (!wanted[0]) return {Func()};
  Func dx(name + "_d_input");
  dx(a) = gamma_at(ctx, node, bn, d.c) * f.inv_std(d.c) / dom.count *
          (dom.count * up.d_out(a) - d_beta(d.c) - f.normalized(a) * d_gamma(d.c));
  ctx.lowered.add(dx, pointwise(s));
  return {dx};
}

}  // namespace cnn::codegen
