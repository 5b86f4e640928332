// Dense: y = activation(bias + kernel^T x) over flat inputs, Keras's (in, units) kernel.
#include "codegen/rules.hpp"
#include "codegen/rules/activation_step.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const Dense& dense, const Inputs& in) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  const std::string name(node.name.view());
  Func kernel = ctx.tensor(node, TensorRole::kernel);  // (u, i)
  RDom r(0, is.channels, name + "_r");
  Func z(name + "_matmul");
  z(d.c, d.n) = dense.use_bias ? ctx.tensor(node, TensorRole::bias)(d.c) : Expr(0.0f);
  z(d.c, d.n) += kernel(d.c, r) * in[0]->out(r, d.n);
  ctx.lowered.add(z, Role::dense, {dense.units, kBatchExtent});
  return with_activation(ctx, node, dense.activation, z, node.output);
}

InputGrads backward(Context& ctx, const Node& node, const Dense& dense, const Inputs& in,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>& wanted) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  const std::string name(node.name.view());
  Func dz = logits_gradient(node, dense.activation, f, up, node.output);
  ctx.lowered.add(dz, Role::pointwise_flat);  // both reductions below read it

  Var u("u"), i("i");
  RDom b(0, ctx.batch, name + "_rb");
  Func d_kernel(name + "_d_kernel");
  d_kernel(u, i) = 0.0f;
  d_kernel(u, i) += dz(u, b) * in[0]->out(i, b);
  ctx.lowered.add(d_kernel, Role::dense_grad_kernel, {dense.units, is.channels});
  ctx.param_grads[&ctx.slot(node, TensorRole::kernel)] = d_kernel;
  if (dense.use_bias) {
    Func d_bias(name + "_d_bias");
    d_bias(u) = 0.0f;
    d_bias(u) += dz(u, b);
    ctx.lowered.add(d_bias, Role::channel_sum);
    ctx.param_grads[&ctx.slot(node, TensorRole::bias)] = d_bias;
  }
  if (!wanted[0]) return {Func()};

  Func kernel = ctx.tensor(node, TensorRole::kernel);
  Func transposed(name + "_kernel_t");  // (i, u): inputs innermost
  transposed(i, u) = kernel(u, i);
  ctx.lowered.add(transposed, Role::transposed_weights);
  RDom k(0, dense.units, name + "_ru");
  Func d_input(name + "_d_input");
  d_input(d.c, d.n) = 0.0f;
  d_input(d.c, d.n) += transposed(d.c, k) * dz(k, d.n);
  ctx.lowered.add(d_input, Role::dense_grad_input, {is.channels, kBatchExtent});
  return {d_input};
}

}  // namespace cnn::codegen
