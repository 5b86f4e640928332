// MaxPooling2D and AveragePooling2D over Keras's windows, and GlobalAveragePooling2D.
//
// Max pooling keeps the index of the first largest element of each window (row-major
// order, as PyTorch and TensorFlow choose) and routes the whole gradient to that one
// input: tied inputs do not each get a copy, which is what differentiating max() would do.
#include "codegen/rules.hpp"

namespace cnn::codegen {

namespace {
// The input read with `fill` outside its extent.
Func bordered(Func f, const Shape& shape, Expr fill, const std::string& name) {
  const Dims& d = dims();
  Func b(name);
  b(d.c, d.x, d.y, d.n) = Halide::select(
      d.x >= 0 && d.x < shape.width && d.y >= 0 && d.y < shape.height,
      f(d.c, Halide::clamp(d.x, 0, shape.width - 1), Halide::clamp(d.y, 0, shape.height - 1), d.n),
      fill);
  return b;
}

// Sum over the windows that cover input pixel (x, y) of contribution(ox, oy, kx, ky).
template <class Contribution>
Func scatter_to_inputs(const WindowGeometry& w, const std::string& name, Contribution contribution) {
  const Dims& d = dims();
  Func dx(name);
  if (!w.overlapping()) {
    // At most one window covers each pixel.
    Expr u = d.x + w.pad_left, v = d.y + w.pad_top;
    Expr ox = u / w.sx, oy = v / w.sy;
    Expr kx = u - ox * w.sx, ky = v - oy * w.sy;
    Expr covered = kx < w.kw && ky < w.kh && ox < w.out.width && oy < w.out.height;
    dx(d.c, d.x, d.y, d.n) =
        Halide::select(covered,
                       contribution(Halide::min(ox, w.out.width - 1),
                                    Halide::min(oy, w.out.height - 1), kx, ky),
                       0.0f);
    return dx;
  }
  RDom r(0, w.kw, 0, w.kh, name + "_r");
  Expr u = d.x + w.pad_left - r.x, v = d.y + w.pad_top - r.y;
  Expr ox = u / w.sx, oy = v / w.sy;
  Expr covered = u % w.sx == 0 && v % w.sy == 0 && ox >= 0 && ox < w.out.width && oy >= 0 &&
                 oy < w.out.height;
  dx(d.c, d.x, d.y, d.n) = 0.0f;
  dx(d.c, d.x, d.y, d.n) += Halide::select(
      covered,
      contribution(Halide::clamp(ox, 0, w.out.width - 1), Halide::clamp(oy, 0, w.out.height - 1),
                   r.x, r.y),
      0.0f);
  return dx;
}
}  // namespace

NodeFuncs max_pooling_forward(Context& ctx, const Node& node, const Inputs& in) {
  const Dims& d = dims();
  const WindowGeometry w = window_geometry(ctx, node);
  const std::string name(node.name.view());
  Func src = node.padding == Padding::same
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
  ctx.lowered.add(best, Role::pooling, &node);
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.x, d.y, d.n) = best(d.c, d.x, d.y, d.n)[0];
  f.argmax = Func(name + "_argmax");
  f.argmax(d.c, d.x, d.y, d.n) = best(d.c, d.x, d.y, d.n)[1];
  return f;
}

InputGrads max_pooling_backward(Context& ctx, const Node& node, const Inputs&,
                                const NodeFuncs& f, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const WindowGeometry w = window_geometry(ctx, node);
  Func dx = scatter_to_inputs(w, std::string(node.name.view()) + "_d_input",
                              [&](Expr ox, Expr oy, Expr kx, Expr ky) {
                                return Halide::select(f.argmax(d.c, ox, oy, d.n) == kx + w.kw * ky,
                                                      up.d_out(d.c, ox, oy, d.n), 0.0f);
                              });
  (void)ctx;  // inline: the consumer's logits gradient computes it once per pixel
  return {dx};
}

namespace {
// Keras (TensorFlow) averages over the window's pixels inside the image, not the padding.
Expr window_count(const WindowGeometry& w, Expr ox, Expr oy) {
  Expr x0 = ox * w.sx - w.pad_left, y0 = oy * w.sy - w.pad_top;
  Expr cols = Halide::min(x0 + w.kw, w.in.width) - Halide::max(x0, 0);
  Expr rows = Halide::min(y0 + w.kh, w.in.height) - Halide::max(y0, 0);
  return Halide::cast<float>(cols * rows);
}
}  // namespace

NodeFuncs average_pooling_forward(Context& ctx, const Node& node, const Inputs& in) {
  const Dims& d = dims();
  const WindowGeometry w = window_geometry(ctx, node);
  const std::string name(node.name.view());
  Func src = node.padding == Padding::same ? bordered(in[0]->out, w.in, 0.0f, name + "_bordered")
                                           : in[0]->out;
  RDom r(0, w.kw, 0, w.kh, name + "_r");
  Func total(name + "_sum");
  total(d.c, d.x, d.y, d.n) = 0.0f;
  total(d.c, d.x, d.y, d.n) +=
      src(d.c, d.x * w.sx + r.x - w.pad_left, d.y * w.sy + r.y - w.pad_top, d.n);
  ctx.lowered.add(total, Role::pooling, &node);
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.x, d.y, d.n) = total(d.c, d.x, d.y, d.n) / window_count(w, d.x, d.y);
  return f;
}

InputGrads average_pooling_backward(Context& ctx, const Node& node, const Inputs&,
                                    const NodeFuncs&, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const WindowGeometry w = window_geometry(ctx, node);
  Func dx = scatter_to_inputs(w, std::string(node.name.view()) + "_d_input",
                              [&](Expr ox, Expr oy, Expr, Expr) {
                                return up.d_out(d.c, ox, oy, d.n) / window_count(w, ox, oy);
                              });
  return {dx};
}

NodeFuncs global_average_pooling_forward(Context& ctx, const Node& node, const Inputs& in) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  const std::string name(node.name.view());
  RDom r(0, is.width, 0, is.height, name + "_r");
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.n) = 0.0f;
  f.out(d.c, d.n) += in[0]->out(d.c, r.x, r.y, d.n) / static_cast<float>(is.width * is.height);
  ctx.lowered.add(f.out, Role::pooling, &node);
  return f;
}

InputGrads global_average_pooling_backward(Context& ctx, const Node& node, const Inputs&,
                                           const NodeFuncs&, Upstream up,
                                           const std::vector<bool>&) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  Func dx(std::string(node.name.view()) + "_d_input");
  dx(d.c, d.x, d.y, d.n) = up.d_out(d.c, d.n) / static_cast<float>(is.width * is.height);
  return {dx};
}

}  // namespace cnn::codegen
