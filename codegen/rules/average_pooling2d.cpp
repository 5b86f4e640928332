// AveragePooling2D over Keras's windows: the mean of the pixels of each window inside the
// image, and each window's gradient shared evenly among them.
#include "codegen/rules/pooling_window.hpp"

namespace cnn::codegen {

namespace {
// Keras (TensorFlow) averages over the window's pixels inside the image, not the padding.
Expr window_count(const WindowGeometry& w, Expr ox, Expr oy) {
  Expr x0 = ox * w.sx - w.pad_left, y0 = oy * w.sy - w.pad_top;
  Expr cols = Halide::min(x0 + w.kw, w.in.width) - Halide::max(x0, 0);
  Expr rows = Halide::min(y0 + w.kh, w.in.height) - Halide::max(y0, 0);
  return Halide::cast<float>(cols * rows);
}
}  // namespace

NodeFuncs forward(Context& ctx, const Node& node, const AveragePooling2D& pooling,
                  const Inputs& in) {
  const Dims& d = dims();
  const WindowGeometry w = pooling_geometry(ctx, node, pooling);
  const std::string name(node.name.view());
  Func src = pooling.padding == Padding::same ? bordered(in[0]->out, w.in, 0.0f, name + "_bordered")
                                              : in[0]->out;
  RDom r(0, w.kw, 0, w.kh, name + "_r");
  Func total(name + "_sum");
  total(d.c, d.x, d.y, d.n) = 0.0f;
  total(d.c, d.x, d.y, d.n) +=
      src(d.c, d.x * w.sx + r.x - w.pad_left, d.y * w.sy + r.y - w.pad_top, d.n);
  ctx.lowered.add(total, Role::pooling);
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.x, d.y, d.n) = total(d.c, d.x, d.y, d.n) / window_count(w, d.x, d.y);
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const AveragePooling2D& pooling, const Inputs&,
                    const NodeFuncs&, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const WindowGeometry w = pooling_geometry(ctx, node, pooling);
  Func dx = scatter_to_inputs(w, std::string(node.name.view()) + "_d_input",
                              [&](Expr ox, Expr oy, Expr, Expr) {
                                return up.d_out(d.c, ox, oy, d.n) / window_count(w, ox, oy);
                              });
  return {dx};
}

}  // namespace cnn::codegen
