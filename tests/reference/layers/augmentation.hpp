// What the augmentation references share: Keras's fill modes, bilinear reads, the kernels'
// per-sample draws, and resampling through a per-sample transform. In inference, and for
// the gradient, an augmentation layer is the identity (nothing before it needs one).
#pragma once

#include <algorithm>
#include <cmath>

#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

// Keras's fill modes for an integer coordinate along an axis of `size` pixels.
inline int fill_coordinate(FillMode mode, int i, int size) {
  switch (mode) {
    case FillMode::reflect: {
      const int m = ((i % (2 * size)) + 2 * size) % (2 * size);
      return m < size ? m : 2 * size - 1 - m;
    }
    case FillMode::wrap: return ((i % size) + size) % size;
    case FillMode::constant:
    case FillMode::nearest: return std::clamp(i, 0, size - 1);
  }
  return std::clamp(i, 0, size - 1);
}

inline double bilinear(const Act& x, FillMode mode, int b, int ch, double sx, double sy) {
  const int x0 = int(std::floor(sx)), y0 = int(std::floor(sy));
  const double fx = sx - x0, fy = sy - y0;
  auto at = [&](int xi, int yi) {
    if (mode == FillMode::constant && (xi < 0 || xi >= x.w || yi < 0 || yi >= x.h)) return 0.0;
    return x.at(b, fill_coordinate(mode, yi, x.h), fill_coordinate(mode, xi, x.w), ch);
  };
  const double top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * fx;
  const double bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * fx;
  return top + (bottom - top) * fy;
}

// The node's draw `which` for sample b, in [lower, upper), as the kernels draw it.
inline double draw(const LayerPass& p, int which, Range r, int b) {
  const float u = p.uniform(int(p.index) * 8 + which, std::uint32_t(b));
  return float(r.lower) + float(r.upper - r.lower) * u;
}

// In training, output pixel (x, y) of sample b reads the input at source(b, x, y), a
// real position, bilinear with `fill`; otherwise the input unchanged.
template <class Source>
void resample(const LayerPass& p, FillMode fill, Source source) {
  const Act& x = p.in();
  Act y = p.output();
  y.v = x.v;
  if (p.training())
    for (int b = 0; b < y.n; ++b)
      for (int yy = 0; yy < y.h; ++yy)
        for (int xx = 0; xx < y.w; ++xx) {
          const auto [sx, sy] = source(b, xx, yy);
          for (int ch = 0; ch < y.c; ++ch) y.at(b, yy, xx, ch) = bilinear(x, fill, b, ch, sx, sy);
        }
  p.record().out = y;
}

}  // namespace cnn::reference
