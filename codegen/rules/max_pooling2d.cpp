// MaxPooling2D over Keras's windows.
//
// Max pooling keeps the index of the first largest element of each window (row-major
// order, as PyTorch and TensorFlow choose) and routes the whole gradient to that one
// input: tied inputs do not each get a copy, which is what differentiating max() would do.
#include "codegen/rules/pooling_window.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const MaxPooling2D& pooling, const Inputs& in) {
  const Dims& d = dims();
  const WindowGeometry w = pooling_geometry(ctx, node, pooling);
  const std::string name(node.name.view());
  Func src = pooling.padding == Padding::same
                 ? bordered(in[0]->out, w.in, Halide::Float(32).min(), name + "_bordered")
                 : in[0]->out;
  RDom r(0, w.kw, 0, w.kh, name + "_r");
  Func best(name + "_best");
  best(d.c, d.x, d.y, d.n) = Halide::Tuple(Halide::Float(32).min(), -1);
  Expr v = src(d.c, d.x * w.sx + r.x - w.pad_left, d.y * w.sy + r.y - w.pad_top, d.n);
  Expr better = v > best(d.c, d.x, d.y, d.n)[0];
  best(d.c, d.x, d.y, d.n) =
      Halide::Tuple(Halide::select(better, v, best(d.c, d.x, d.y, d.n)[0]),
                    Halide::select(better, r.x + w.kw * r.y, best(d.c, d.x, d.y, d.n)[1]));
  ctx.lowered.add(best, Role::pooling);
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.x, d.y, d.n) = best(d.c, d.x, d.y, d.n)[0];
  f.argmax = Func(name + "_argmax");
  f.argmax(d.c, d.x, d.y, d.n) = best(d.c, d.x, d.y, d.n)[1];
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const MaxPooling2D& pooling, const Inputs&,
                    const NodeFuncs& f, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const WindowGeometry w = pooling_geometry(ctx, node, pooling);
  Func dx = scatter_to_inputs(w, std::string(node.name.view()) + "_d_input",
                              [&](Expr ox, Expr oy, Expr kx, Expr ky) {
                                return Halide::select(f.argmax(d.c, ox, oy, d.n) == kx + w.kw * ky,
                                                      up.d_out(d.c, ox, oy, d.n), 0.0f);
                              });
  (void)ctx;  // inline: the consumer's logits gradient computes it once per pixel
  return {dx};
}

}  // namespace cnn::codegen
