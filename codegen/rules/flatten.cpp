// Flatten: (height, width, channels) to one axis in Keras's order, channels fastest.
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const Flatten&, const Inputs& in) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  NodeFuncs f;
  f.out = Func(std::string(node.name.view()));
  if (is.rank == 1) {
    f.out(d.c, d.n) = in[0]->out(d.c, d.n);
    return f;
  }
  Expr i = d.c;
  f.out(d.c, d.n) =
      in[0]->out(i % is.channels, (i / is.channels) % is.width, i / (is.channels * is.width), d.n);
  ctx.lowered.add(f.out, Role::pointwise_flat);
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const Flatten&, const Inputs&, const NodeFuncs&,
                    Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  Func dx(std::string(node.name.view()) + "_d_input");
  if (is.rank == 1)
    dx(d.c, d.n) = up.d_out(d.c, d.n);
  else
    dx(d.c, d.x, d.y, d.n) = up.d_out(d.c + is.channels * (d.x + is.width * d.y), d.n);
  return {dx};
}

}  // namespace cnn::codegen
