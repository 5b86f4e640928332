// What the pooling layers' rules share: where their window sits, and how a window's
// gradient goes back to the pixels it covers.
#pragma once

#include "codegen/rules.hpp"

namespace cnn::codegen {

template <class L>
WindowGeometry pooling_geometry(const Context& ctx, const Node& node, const L& pooling) {
  return window_geometry(ctx, node, pooling.pool_size, pooling.effective_strides(),
                         pooling.padding);
}

// Sum over the windows that cover input pixel (x, y) of contribution(ox, oy, kx, ky).
template <class Contribution>
inline Func scatter_to_inputs(const WindowGeometry& w, const std::string& name,
                              Contribution contribution) {
  const Dims& d = dims();
  Func dx(name);
  if (!w.overlapping()) {
    // At most one window covers each pixel.
    Expr u = d.x + w.pad_left, v = d.y + w.pad_top;
    Expr ox = u / w.sx, oy = v / w.sy;
    Expr kx = u - ox * w.sx, ky = v - oy * w.sy;
    Expr covered = kx < w.kw && ky < w.kh && ox < w.out.width && oy < w.out.height;
    dx(d.c, d.x, d.y, d.n) = Halide::select(
        covered,
        contribution(Halide::min(ox, w.out.width - 1), Halide::min(oy, w.out.height - 1), kx, ky),
        0.0f);
    return dx;
  }
  RDom r(0, w.kw, 0, w.kh, name + "_r");
  Expr u = d.x + w.pad_left - r.x, v = d.y + w.pad_top - r.y;
  Expr ox = u / w.sx, oy = v / w.sy;
  Expr covered =
      u % w.sx == 0 && v % w.sy == 0 && ox >= 0 && ox < w.out.width && oy >= 0 && oy < w.out.height;
  dx(d.c, d.x, d.y, d.n) = 0.0f;
  dx(d.c, d.x, d.y, d.n) +=
      Halide::select(covered,
                     contribution(Halide::clamp(ox, 0, w.out.width - 1),
                                  Halide::clamp(oy, 0, w.out.height - 1), r.x, r.y),
                     0.0f);
  return dx;
}
}  // namespace cnn::codegen
