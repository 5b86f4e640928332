// ZeroPadding2D: the input shifted by (left, top) into zeros; its gradient is the output's
// gradient over the input's window (the padding's gradient goes nowhere).
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const ZeroPadding2D& pad, const Inputs& in) {
  const Dims& d = dims();
  const std::string name(node.name.view());
  Func src = zero_padded(in[0]->out, ctx.input_shape(node), name + "_bordered");
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.x, d.y, d.n) = src(d.c, d.x - pad.padding.left, d.y - pad.padding.top, d.n);
  ctx.lowered.add(f.out, pointwise(node.output));
  return f;
}

InputGrads backward(Context&, const Node& node, const ZeroPadding2D& pad, const Inputs&,
                    const NodeFuncs&, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  Func dx(std::string(node.name.view()) + "_d_input");
  dx(d.c, d.x, d.y, d.n) = up.d_out(d.c, d.x + pad.padding.left, d.y + pad.padding.top, d.n);
  return {dx};  // inline: a copy its consumer reads once
}

}  // namespace cnn::codegen
