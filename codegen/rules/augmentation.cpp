// RandomFlip, RandomTranslation, RandomRotation, RandomZoom: in training, each sample is
// resampled (bilinear, Keras's fill modes) through a random transform drawn per sample from
// (seed, step, layer, sample); in inference, the identity. Only the input is augmented, so
// these layers have no backward rule: the generator rejects one placed after a layer
// with parameters.
#include <numbers>

#include "codegen/rules.hpp"

namespace cnn::codegen {

namespace {
// Keras's fill modes, applied to an integer coordinate along an axis of `size` pixels.
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

Expr inside(Expr i, int size) { return i >= 0 && i < size; }

// Bilinear read of `src` at the real position (sx, sy).
Expr bilinear(Func src, const Shape& s, FillMode mode, Expr sx, Expr sy) {
  const Dims& d = dims();
  Expr x0 = Halide::cast<int>(Halide::floor(sx)), y0 = Halide::cast<int>(Halide::floor(sy));
  Expr fx = sx - Halide::cast<float>(x0), fy = sy - Halide::cast<float>(y0);
  auto at = [&](Expr xi, Expr yi) {
    Expr v = src(d.c, fill_coordinate(mode, xi, s.width), fill_coordinate(mode, yi, s.height), d.n);
    if (mode == FillMode::constant) v = Halide::select(inside(xi, s.width) && inside(yi, s.height), v, 0.0f);
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
}  // namespace

NodeFuncs augmentation_forward(Context& ctx, const Node& node, const Inputs& in) {
  if (!ctx.training) return NodeFuncs::passing(in[0]->out);
  const Dims& d = dims();
  const Shape s = node.output;
  const std::string name(node.name.view());
  const float cx = (s.width - 1) * 0.5f, cy = (s.height - 1) * 0.5f;
  Expr x = Halide::cast<float>(d.x), y = Halide::cast<float>(d.y);
  NodeFuncs f;
  f.out = Func(name);
  switch (node.kind) {
    case LayerKind::random_flip: {
      const bool h = node.flip != FlipMode::vertical, v = node.flip != FlipMode::horizontal;
      Expr fx = h ? draw(ctx, node, 0, {0, 1}) < 0.5f : Expr(false);
      Expr fy = v ? draw(ctx, node, 1, {0, 1}) < 0.5f : Expr(false);
      f.out(d.c, d.x, d.y, d.n) = in[0]->out(d.c, Halide::select(fx, s.width - 1 - d.x, d.x),
                                             Halide::select(fy, s.height - 1 - d.y, d.y), d.n);
      break;
    }
    case LayerKind::random_translation: {
      Expr tx = draw(ctx, node, 0, node.width_factor) * static_cast<float>(s.width);
      Expr ty = draw(ctx, node, 1, node.height_factor) * static_cast<float>(s.height);
      f.out(d.c, d.x, d.y, d.n) = bilinear(in[0]->out, s, node.fill, x - tx, y - ty);
      break;
    }
    case LayerKind::random_rotation: {
      Expr angle = draw(ctx, node, 0, node.height_factor) * static_cast<float>(2 * std::numbers::pi);
      Expr cs = Halide::cos(angle), sn = Halide::sin(angle);
      Expr sx = cs * (x - cx) + sn * (y - cy) + cx;
      Expr sy = -sn * (x - cx) + cs * (y - cy) + cy;
      f.out(d.c, d.x, d.y, d.n) = bilinear(in[0]->out, s, node.fill, sx, sy);
      break;
    }
    case LayerKind::random_zoom: {
      Expr zy = 1.0f + draw(ctx, node, 0, node.height_factor);
      Expr zx = node.width_factor.zero() ? zy : 1.0f + draw(ctx, node, 1, node.width_factor);
      f.out(d.c, d.x, d.y, d.n) =
          bilinear(in[0]->out, s, node.fill, cx + (x - cx) * zx, cy + (y - cy) * zy);
      break;
    }
    default:
      throw std::logic_error("not an augmentation layer");
  }
  ctx.lowered.add(f.out, Role::pointwise_image, &node);
  return f;
}

}  // namespace cnn::codegen
