// RandomTranslation: each training sample shifted by its drawn fractions of the size.
#include "tests/reference/layers/augmentation.hpp"

namespace cnn::reference {

void reference_forward(const RandomTranslation& translation, const LayerPass& p) {
  const Act& x = p.in();
  resample(p, translation.fill_mode, [&](int b, int xx, int yy) {
    const double tx = draw(p, 0, translation.width_factor, b) * x.w;
    const double ty = draw(p, 1, translation.height_factor, b) * x.h;
    return std::pair{xx - tx, yy - ty};
  });
}

void reference_backward(const RandomTranslation&, const LayerPass&) {}

}  // namespace cnn::reference
