// GlobalMaxPooling2D: each channel's first largest pixel (row-major), which alone gets the
// gradient.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const GlobalMaxPooling2D&, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  std::vector<int>& argmax = p.record().argmax;
  argmax.assign(y.v.size(), -1);
  for (int b = 0; b < x.n; ++b)
    for (int ch = 0; ch < x.c; ++ch) {
      double best = -1e300;
      for (int yy = 0; yy < x.h; ++yy)
        for (int xx = 0; xx < x.w; ++xx)
          if (x.at(b, yy, xx, ch) > best) {
            best = x.at(b, yy, xx, ch);
            argmax[std::size_t(b) * x.c + ch] = yy * x.w + xx;
          }
      y.v[std::size_t(b) * x.c + ch] = best;
    }
  p.record().out = y;
}

void reference_backward(const GlobalMaxPooling2D&, const LayerPass& p) {
  Act& dx = p.d_in();
  for (int b = 0; b < dx.n; ++b)
    for (int ch = 0; ch < dx.c; ++ch) {
      const int k = p.record().argmax[std::size_t(b) * dx.c + ch];
      dx.at(b, k / dx.w, k % dx.w, ch) += p.d_out().v[std::size_t(b) * dx.c + ch];
    }
}

}  // namespace cnn::reference
