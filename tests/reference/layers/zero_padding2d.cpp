// ZeroPadding2D: zeros around the image; the gradient of the input's window passes back.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const ZeroPadding2D& pad, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  for (int b = 0; b < x.n; ++b)
    for (int yy = 0; yy < x.h; ++yy)
      for (int xx = 0; xx < x.w; ++xx)
        for (int ch = 0; ch < x.c; ++ch)
          y.at(b, yy + pad.padding.top, xx + pad.padding.left, ch) = x.at(b, yy, xx, ch);
  p.record().out = y;
}

void reference_backward(const ZeroPadding2D& pad, const LayerPass& p) {
  Act& dx = p.d_in();
  for (int b = 0; b < dx.n; ++b)
    for (int yy = 0; yy < dx.h; ++yy)
      for (int xx = 0; xx < dx.w; ++xx)
        for (int ch = 0; ch < dx.c; ++ch)
          dx.at(b, yy, xx, ch) += p.d_out().at(b, yy + pad.padding.top, xx + pad.padding.left, ch);
}

}  // namespace cnn::reference
