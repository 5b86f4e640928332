// GlobalAveragePooling2D: each channel's mean over the image.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const GlobalAveragePooling2D&, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  for (int b = 0; b < x.n; ++b)
    for (int ch = 0; ch < x.c; ++ch) {
      double s = 0;
      for (int yy = 0; yy < x.h; ++yy)
        for (int xx = 0; xx < x.w; ++xx) s += x.at(b, yy, xx, ch);
      y.v[std::size_t(b) * x.c + ch] = s / (x.h * x.w);
    }
  p.record().out = y;
}

void reference_backward(const GlobalAveragePooling2D&, const LayerPass& p) {
  Act& dx = p.d_in();
  for (int b = 0; b < dx.n; ++b)
    for (int yy = 0; yy < dx.h; ++yy)
      for (int xx = 0; xx < dx.w; ++xx)
        for (int ch = 0; ch < dx.c; ++ch)
          dx.at(b, yy, xx, ch) += p.d_out().v[std::size_t(b) * dx.c + ch] / (dx.h * dx.w);
}

}  // namespace cnn::reference
