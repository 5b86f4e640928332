// Conv2D: y = activation(bias + sum over (ci, kx, ky) of kernel * input), Keras's padding.
#include "codegen/rules.hpp"
#include "codegen/rules/activation_step.hpp"
#include "codegen/rules/winograd.hpp"

namespace cnn::codegen {

namespace {
WindowGeometry geometry(const Context& ctx, const Node& node, const Conv2D& conv) {
  return window_geometry(ctx, node, conv.kernel_size, conv.strides, conv.padding);
}

// Whether a 3x3 stride-1 window reducing `from` channels into `to` goes by Winograd.
bool by_winograd(const WindowGeometry& g, int from, int to, const Shape& out) {
  return g.kw == 3 && g.kh == 3 && g.sx == 1 && g.sy == 1 &&
         winograd_suits(from, to, out.width, out.height);
}

// Whether Winograd's tiles would read past a 'valid' convolution's input: the output does
// not split into whole 4x4 tiles.
bool ragged(const Shape& out) {
  return out.width % kWinogradTile != 0 || out.height % kWinogradTile != 0;
}
}  // namespace

NodeFuncs forward(Context& ctx, const Node& node, const Conv2D& conv, const Inputs& in) {
  const Dims& d = dims();
  const WindowGeometry g = geometry(ctx, node, conv);
  const std::string name(node.name.view());
  const bool winograd = by_winograd(g, g.in.channels, g.out.channels, g.out);
  const bool padded = conv.padding == Padding::same || (winograd && ragged(g.out));
  Func input = padded ? zero_padded(in[0]->out, g.in, name + "_padded") : in[0]->out;
  if (padded) ctx.lowered.add(input, Role::pointwise_image);
  Func kernel = ctx.tensor(node, TensorRole::kernel);  // (co, ci, kx, ky)
  const Expr bias = conv.use_bias ? ctx.tensor(node, TensorRole::bias)(d.c) : Expr(0.0f);

  Func z;
  if (winograd) {
    z = winograd_conv3x3(ctx,
                         {name + "_conv", g.in.channels, g.out.channels, g.out.width, g.out.height,
                          g.pad_left, g.pad_top},
                         input, kernel, bias);
  } else {
    RDom r(0, g.in.channels, 0, g.kw, 0, g.kh, name + "_r");
    z = Func(name + "_conv");
    z(d.c, d.x, d.y, d.n) = bias;
    z(d.c, d.x, d.y, d.n) += kernel(d.c, r.x, r.y, r.z) * input(r.x, d.x * g.sx + r.y - g.pad_left,
                                                                d.y * g.sy + r.z - g.pad_top, d.n);
    ctx.lowered.add(z, Role::conv, {g.out.channels, g.out.width, g.out.height, kBatchExtent});
  }
  NodeFuncs f = with_activation(ctx, node, conv.activation, z, g.out);
  f.padded = input;
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const Conv2D& conv, const Inputs&,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>& wanted) {
  const Dims& d = dims();
  const WindowGeometry g = geometry(ctx, node, conv);
  const std::string name(node.name.view());
  // The logits gradient is materialized once: zero-padded when the input gradient's
  // reduction reads it beyond its extent, or Winograd's tiles do, and the kernel gradient
  // reads the same buffer.
  const bool winograd = by_winograd(g, g.in.channels, g.out.channels, g.out);
  Func dz = logits_gradient(node, conv.activation, f, up, g.out);
  if (wanted[0] || (winograd && ragged(g.out)))
    dz = zero_padded(dz, g.out, name + "_d_logits_padded");
  ctx.lowered.add(dz, Role::pointwise_image);
  Func input = f.padded;

  // Kernel and bias: sums over every output position of every sample.
  Var co("co"), ci("ci"), kx("kx"), ky("ky");
  RDom r(0, g.out.width, 0, g.out.height, 0, ctx.batch, name + "_rk");
  Func d_kernel;
  if (winograd) {
    d_kernel = winograd_kernel_gradient(ctx,
                                        {name + "_d_kernel", g.in.channels, g.out.channels,
                                         g.out.width, g.out.height, g.pad_left, g.pad_top},
                                        dz, input);
  } else {
    d_kernel = Func(name + "_d_kernel");
    d_kernel(co, ci, kx, ky) = 0.0f;
    d_kernel(co, ci, kx, ky) += dz(co, r.x, r.y, r.z) * input(ci, r.x * g.sx + kx - g.pad_left,
                                                              r.y * g.sy + ky - g.pad_top, r.z);
    ctx.lowered.add(d_kernel, Role::conv_grad_kernel, {g.out.channels, g.in.channels, g.kw, g.kh});
  }
  ctx.param_grads[&ctx.slot(node, TensorRole::kernel)] = d_kernel;
  if (conv.use_bias) {
    Func d_bias(name + "_d_bias");
    d_bias(co) = 0.0f;
    d_bias(co) += dz(co, r.x, r.y, r.z);
    ctx.lowered.add(d_bias, Role::channel_sum);
    ctx.param_grads[&ctx.slot(node, TensorRole::bias)] = d_bias;
  }
  if (!wanted[0]) return {Func()};

  // Input: each input pixel gathers from the outputs whose windows cover it.
  Func kernel = ctx.tensor(node, TensorRole::kernel);
  if (by_winograd(g, g.out.channels, g.in.channels, g.in)) {
    // The same as a 3x3 convolution of dz with the kernel turned half a turn, its input and
    // output channels swapped.
    Func turned(name + "_kernel_turned");  // (ci, co, a, b)
    turned(ci, co, kx, ky) = kernel(co, ci, 2 - kx, 2 - ky);
    ctx.lowered.add(turned, Role::transposed_weights);
    return {winograd_conv3x3(ctx,
                             {name + "_d_input", g.out.channels, g.in.channels, g.in.width,
                              g.in.height, 2 - g.pad_left, 2 - g.pad_top},
                             dz, turned, 0.0f)};
  }
  Func flipped(name + "_kernel_t");  // (ci, co, kx, ky): input channels innermost
  flipped(ci, co, kx, ky) = kernel(co, ci, kx, ky);
  ctx.lowered.add(flipped, Role::transposed_weights);

  RDom s(0, g.out.channels, 0, g.kw, 0, g.kh, name + "_rx");
  Expr u = d.x + g.pad_left - s.y;  // output column times the stride
  Expr v = d.y + g.pad_top - s.z;
  Func d_input(name + "_d_input");
  d_input(d.c, d.x, d.y, d.n) = 0.0f;
  if (g.sx == 1 && g.sy == 1) {
    d_input(d.c, d.x, d.y, d.n) += flipped(d.c, s.x, s.y, s.z) * dz(s.x, u, v, d.n);
  } else {
    d_input(d.c, d.x, d.y, d.n) +=
        Halide::select(u % g.sx == 0 && v % g.sy == 0,
                       flipped(d.c, s.x, s.y, s.z) * dz(s.x, u / g.sx, v / g.sy, d.n), 0.0f);
  }
  ctx.lowered.add(d_input, Role::conv_grad_input,
                  {g.in.channels, g.in.width, g.in.height, kBatchExtent});
  return {d_input};
}

}  // namespace cnn::codegen
