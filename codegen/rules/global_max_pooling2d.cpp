// GlobalMaxPooling2D: each channel's largest value over the image. As MaxPooling2D, it
// keeps the first largest pixel (row-major) and routes the whole gradient to it alone.
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const GlobalMaxPooling2D&, const Inputs& in) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  const std::string name(node.name.view());
  RDom r(0, is.width, 0, is.height, name + "_r");
  Func best(name + "_best");
  best(d.c, d.n) = Halide::Tuple(Halide::Float(32).min(), -1);
  Expr v = in[0]->out(d.c, r.x, r.y, d.n);
  Expr better = v > best(d.c, d.n)[0];
  best(d.c, d.n) = Halide::Tuple(Halide::select(better, v, best(d.c, d.n)[0]),
                                 Halide::select(better, r.x + is.width * r.y, best(d.c, d.n)[1]));
  ctx.lowered.add(best, Role::pooling);
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.n) = best(d.c, d.n)[0];
  f.argmax = Func(name + "_argmax");
  f.argmax(d.c, d.n) = best(d.c, d.n)[1];
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const GlobalMaxPooling2D&, const Inputs&,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  Func dx(std::string(node.name.view()) + "_d_input");
  dx(d.c, d.x, d.y, d.n) =
      Halide::select(f.argmax(d.c, d.n) == d.x + is.width * d.y, up.d_out(d.c, d.n), 0.0f);
  return {dx};  // inline: its consumer reads each pixel once
}

}  // namespace cnn::codegen
