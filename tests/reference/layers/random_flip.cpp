// RandomFlip: each training sample mirrored, as its draws say.
#include "tests/reference/layers/augmentation.hpp"

namespace cnn::reference {

void reference_forward(const RandomFlip& flip, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  y.v = x.v;
  if (p.training())
    for (int b = 0; b < y.n; ++b) {
      const bool flip_x = flip.mode != FlipMode::vertical && draw(p, 0, {0, 1}, b) < 0.5;
      const bool flip_y = flip.mode != FlipMode::horizontal && draw(p, 1, {0, 1}, b) < 0.5;
      for (int yy = 0; yy < y.h; ++yy)
        for (int xx = 0; xx < y.w; ++xx)
          for (int ch = 0; ch < y.c; ++ch)
            y.at(b, yy, xx, ch) =
                x.at(b, flip_y ? x.h - 1 - yy : yy, flip_x ? x.w - 1 - xx : xx, ch);
    }
  p.record().out = y;
}

void reference_backward(const RandomFlip&, const LayerPass&) {}

}  // namespace cnn::reference
