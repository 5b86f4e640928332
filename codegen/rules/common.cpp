// Pieces every rule shares: parameter views, activation functions, padding, random numbers.
#include "codegen/rules.hpp"

#include <stdexcept>

namespace cnn::codegen {

const Dims& dims() {
  static const Dims d;
  return d;
}

std::vector<Var> args_of(const Shape& shape) {
  const Dims& d = dims();
  if (shape.rank == 1) return {d.c, d.n};
  return {d.c, d.x, d.y, d.n};
}

std::vector<Expr> at_channel(Expr channel, const std::vector<Var>& args) {
  std::vector<Expr> out{channel};
  out.insert(out.end(), args.begin() + 1, args.end());
  return out;
}

const TensorSlot& Context::slot(const Node& n, TensorRole role) const {
  const TensorSlot* s = table.find(index_of(n), role);
  if (s == nullptr)
    throw std::logic_error("no " + std::string(role_name(role)) + " tensor for layer " +
                           std::string(n.name.view()));
  return *s;
}

Func Context::tensor(const Node& n, TensorRole role) const {
  const TensorSlot& s = slot(n, role);
  std::vector<Var> args;
  for (int i = 0; i < s.rank; ++i) args.emplace_back("t" + std::to_string(i));
  // Keras's shape is outermost first; the Func's first argument is the innermost dimension.
  Expr index = 0;
  for (int i = s.rank - 1; i >= 0; --i)
    index = index * s.shape[static_cast<std::size_t>(s.rank - 1 - i)] +
            args[static_cast<std::size_t>(i)];
  Func f(std::string(n.name.view()) + "_" + std::string(role_name(role)));
  f(args) = (in_state_buffer(role) ? state : params)(Expr(static_cast<int>(s.offset)) + index);
  return f;
}

WindowGeometry window_geometry(const Context& ctx, const Node& node, Size2 window, Size2 strides,
                               Padding padding) {
  const Shape in = ctx.input_shape(node);
  return {in,
          node.output,
          window.width,
          window.height,
          strides.width,
          strides.height,
          padding_before(in.width, window.width, strides.width, padding),
          padding_before(in.height, window.height, strides.height, padding)};
}

Expr activate(ActivationFn f, Expr z) {
  switch (f) {
    case ActivationFn::relu: return Halide::max(z, 0.0f);
    case ActivationFn::sigmoid: return 1.0f / (1.0f + Halide::exp(-z));
    case ActivationFn::tanh: {
      // Halide's tanh calls libm one lane at a time; through Halide's exp (inlined and
      // vectorized) it is a few instructions per lane. exp(-2|z|) cannot overflow, and the
      // result is within a few ulps of 1 of libm's.
      Expr e = Halide::exp(-2.0f * Halide::abs(z));
      Expr t = (1.0f - e) / (1.0f + e);
      return Halide::select(z < 0.0f, -t, t);
    }
    case ActivationFn::linear: return z;
    case ActivationFn::softmax: break;
  }
  throw std::logic_error("softmax is applied over channels, not per element");
}

Expr activation_derivative_from_output(ActivationFn f, Expr y) {
  switch (f) {
    case ActivationFn::relu: return Halide::select(y > 0.0f, 1.0f, 0.0f);
    case ActivationFn::sigmoid: return y * (1.0f - y);
    case ActivationFn::tanh: return 1.0f - y * y;
    case ActivationFn::linear: return Expr(1.0f);
    case ActivationFn::softmax: break;
  }
  throw std::logic_error("softmax's derivative couples channels");
}

Func softmax_over_channels(Func z, const Shape& shape, const std::string& name) {
  const std::vector<Var> a = args_of(shape);
  RDom k(0, shape.channels, name + "_k");
  std::vector<Var> rest_vars(a.begin() + 1, a.end());
  Func peak(name + "_max"), total(name + "_sum"), out(name);
  peak(rest_vars) = Halide::maximum(z(at_channel(k, a)));
  total(rest_vars) = Halide::sum(Halide::exp(z(at_channel(k, a)) - peak(rest_vars)));
  out(a) = Halide::exp(z(a) - peak(rest_vars)) / total(rest_vars);
  return out;
}

namespace {
Expr u32(uint32_t v) { return Expr(v); }

// lowbias32, a well-mixing 32-bit integer hash (tests/reference mirrors it).
Expr mix(Expr h) {
  h = h ^ (h >> u32(16));
  h = h * u32(0x7feb352du);
  h = h ^ (h >> u32(15));
  h = h * u32(0x846ca68bu);
  return h ^ (h >> u32(16));
}
}  // namespace

Expr uniform_random(Expr seed, Expr step, int stream, Expr index) {
  using Halide::cast;
  using Halide::UInt;
  Expr h = mix(cast(UInt(32), seed) ^ u32(static_cast<uint32_t>(stream) * 0x9e3779b9u));
  h = mix(h + cast(UInt(32), step));
  h = mix(h + cast(UInt(32), index));
  return cast<float>(h >> u32(8)) * (1.0f / 16777216.0f);
}

Func bordered(Func f, const Shape& shape, Expr fill, const std::string& name) {
  const Dims& d = dims();
  Func b(name);
  b(d.c, d.x, d.y, d.n) = Halide::select(
      d.x >= 0 && d.x < shape.width && d.y >= 0 && d.y < shape.height,
      f(d.c, Halide::clamp(d.x, 0, shape.width - 1), Halide::clamp(d.y, 0, shape.height - 1), d.n),
      fill);
  return b;  // the caller registers it: a reduction should not test bounds per tap
}

Func zero_padded(Func f, const Shape& shape, const std::string& name) {
  return bordered(f, shape, 0.0f, name);
}

}  // namespace cnn::codegen
