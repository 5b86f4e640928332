// The augmentation layers' shared pieces (augmentation.hpp).
#include "codegen/rules/augmentation.hpp"

#include <stdexcept>

namespace cnn::codegen {

Expr fill_coordinate(FillMode mode, Expr i, int size) {
  switch (mode) {
    case FillMode::reflect: {  // d c b a | a b c d | d c b a
      Expr m = i % (2 * size);
      // The clamp changes nothing but tells bounds inference the result stays in the image.
      return Halide::clamp(Halide::select(m < size, m, 2 * size - 1 - m), 0, size - 1);
    }
    case FillMode::wrap: return i % size;
    case FillMode::nearest:
    case FillMode::constant: return Halide::clamp(i, 0, size - 1);
  }
  return Halide::clamp(i, 0, size - 1);
}

namespace {
Expr inside(Expr i, int size) { return i >= 0 && i < size; }

}  // namespace

Expr bilinear(Func src, const Shape& s, FillMode mode, Expr sx, Expr sy) {
  const Dims& d = dims();
  Expr x0 = Halide::cast<int>(Halide::floor(sx)), y0 = Halide::cast<int>(Halide::floor(sy));
  Expr fx = sx - Halide::cast<float>(x0), fy = sy - Halide::cast<float>(y0);
  auto at = [&](Expr xi, Expr yi) {
    Expr v = src(d.c, fill_coordinate(mode, xi, s.width), fill_coordinate(mode, yi, s.height), d.n);
    if (mode == FillMode::constant)
      v = Halide::select(inside(xi, s.width) && inside(yi, s.height), v, 0.0f);
    return v;
  };
  return Halide::lerp(Halide::lerp(at(x0, y0), at(x0 + 1, y0), fx),
                      Halide::lerp(at(x0, y0 + 1), at(x0 + 1, y0 + 1), fx), fy);
}

Expr draw(const Context& ctx, const Node& node, int which, Range range) {
  Expr u = uniform_random(ctx.seed, ctx.step, ctx.index_of(node) * 8 + which,
                          dims().n + ctx.first_sample);
  return static_cast<float>(range.lower) + static_cast<float>(range.upper - range.lower) * u;
}
void no_gradient_through(const Node& node) {
  throw std::invalid_argument("layer " + std::string(node.name.view()) +
                              " cannot sit behind a layer with parameters: place "
                              "augmentation layers right after the Input");
}

}  // namespace cnn::codegen
