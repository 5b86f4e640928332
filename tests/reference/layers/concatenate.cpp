// Concatenate along channels; each input gets its slice of the gradient.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const Concatenate&, const LayerPass& p) {
  Act y = p.output();
  int offset = 0;
  for (int k = 0; k < p.node.input_count; ++k) {
    const Act& x = p.in(k);
    for (int b = 0; b < x.n; ++b)
      for (int yy = 0; yy < x.h; ++yy)
        for (int xx = 0; xx < x.w; ++xx)
          for (int ch = 0; ch < x.c; ++ch) y.at(b, yy, xx, offset + ch) = x.at(b, yy, xx, ch);
    offset += x.c;
  }
  p.record().out = y;
}

void reference_backward(const Concatenate&, const LayerPass& p) {
  int offset = 0;
  for (int k = 0; k < p.node.input_count; ++k) {
    Act& dx = p.d_in(k);
    for (int b = 0; b < dx.n; ++b)
      for (int yy = 0; yy < dx.h; ++yy)
        for (int xx = 0; xx < dx.w; ++xx)
          for (int ch = 0; ch < dx.c; ++ch)
            dx.at(b, yy, xx, ch) += p.d_out().at(b, yy, xx, offset + ch);
    offset += dx.c;
  }
}

}  // namespace cnn::reference
