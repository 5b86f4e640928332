// What the pooling references share: the pixels of each window inside the image.
#pragma once

#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

enum class Pool { max, average };

template <class L>
Window pooling_window(const L& pooling, const LayerPass& p) {
  return Window(p.pass.model.nodes[std::size_t(p.node.input(0))].output, pooling.pool_size,
                pooling.effective_strides(), pooling.padding);
}

// The maximum (the first, in row-major window order, among ties) or the mean of the pixels
// of each window that lie inside the image.
inline void pool_forward(Pool kind, const Window& w, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  std::vector<int>& argmax = p.record().argmax;
  argmax.assign(y.v.size(), -1);
  for (int b = 0; b < y.n; ++b)
    for (int oy = 0; oy < y.h; ++oy)
      for (int ox = 0; ox < y.w; ++ox)
        for (int ch = 0; ch < y.c; ++ch) {
          double best = -1e300, sum = 0;
          int best_k = -1, count = 0;
          for (int ky = 0; ky < w.kh; ++ky)
            for (int kx = 0; kx < w.kw; ++kx) {
              const int iy = oy * w.sy + ky - w.pad_top, ix = ox * w.sx + kx - w.pad_left;
              if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
              const double v = x.at(b, iy, ix, ch);
              if (v > best) {
                best = v;
                best_k = ky * w.kw + kx;
              }
              sum += v;
              ++count;
            }
          y.at(b, oy, ox, ch) = kind == Pool::max ? best : sum / count;
          argmax[y.index(b, oy, ox, ch)] = best_k;
        }
  p.record().out = y;
}

// Max: the whole gradient to the chosen pixel. Average: shared evenly by the window's pixels.
inline void pool_backward(Pool kind, const Window& w, const LayerPass& p) {
  const Act& dy = p.d_out();
  Act& dx = p.d_in();
  for (int b = 0; b < dy.n; ++b)
    for (int oy = 0; oy < dy.h; ++oy)
      for (int ox = 0; ox < dy.w; ++ox)
        for (int ch = 0; ch < dy.c; ++ch) {
          const std::size_t o = dy.index(b, oy, ox, ch);
          int count = 0;
          for (int ky = 0; ky < w.kh; ++ky)
            for (int kx = 0; kx < w.kw; ++kx) {
              const int iy = oy * w.sy + ky - w.pad_top, ix = ox * w.sx + kx - w.pad_left;
              count += iy >= 0 && iy < dx.h && ix >= 0 && ix < dx.w;
            }
          for (int ky = 0; ky < w.kh; ++ky)
            for (int kx = 0; kx < w.kw; ++kx) {
              const int iy = oy * w.sy + ky - w.pad_top, ix = ox * w.sx + kx - w.pad_left;
              if (iy < 0 || iy >= dx.h || ix < 0 || ix >= dx.w) continue;
              if (kind == Pool::max)
                dx.at(b, iy, ix, ch) += p.record().argmax[o] == ky * w.kw + kx ? dy.v[o] : 0;
              else
                dx.at(b, iy, ix, ch) += dy.v[o] / count;
            }
        }
}

}  // namespace cnn::reference
