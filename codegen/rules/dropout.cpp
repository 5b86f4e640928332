// Dropout: in training, each unit is kept with probability 1 - rate and scaled by
// 1 / (1 - rate); the draw is a hash of (seed, step, layer, unit), so a run repeats
// exactly. In inference, the identity.
#include "codegen/rules.hpp"

namespace cnn::codegen {

namespace {
// The unit's index in the global batch (see Context::first_sample).
Expr unit_index(const Context& ctx, const Shape& s) {
  const Dims& d = dims();
  const Expr n = d.n + ctx.first_sample;
  if (s.rank == 1) return d.c + s.channels * n;
  return d.c + s.channels * (d.x + s.width * (d.y + s.height * n));
}
}  // namespace

NodeFuncs forward(Context& ctx, const Node& node, const Dropout& dropout, const Inputs& in) {
  if (!ctx.training || dropout.rate == 0) return NodeFuncs::passing(in[0]->out);
  const std::vector<Var> a = args_of(node.output);
  const std::string name(node.name.view());
  const float rate = static_cast<float>(dropout.rate);
  NodeFuncs f;
  f.keep = Func(name + "_keep");
  f.keep(a) =
      uniform_random(ctx.seed, ctx.step, ctx.index_of(node), unit_index(ctx, node.output)) >= rate;
  f.out = Func(name);
  f.out(a) = Halide::select(f.keep(a), in[0]->out(a) * (1.0f / (1.0f - rate)), 0.0f);
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const Dropout& dropout, const Inputs&,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>&) {
  if (!f.keep.defined()) return {up.d_out};
  const std::vector<Var> a = args_of(node.output);
  const float rate = static_cast<float>(dropout.rate);
  Func dx(std::string(node.name.view()) + "_d_input");
  dx(a) = Halide::select(f.keep(a), up.d_out(a) * (1.0f / (1.0f - rate)), 0.0f);
  // Materialized: a consumer such as max pooling's gradient reads each unit several times,
  // and each read would hash again.
  ctx.lowered.add(dx, pointwise(node.output));
  return {dx};
}

}  // namespace cnn::codegen
