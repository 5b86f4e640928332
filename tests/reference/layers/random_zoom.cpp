// RandomZoom: each training sample scaled about its center by 1 + its draws.
#include "tests/reference/layers/augmentation.hpp"

namespace cnn::reference {

void reference_forward(const RandomZoom& zoom, const LayerPass& p) {
  const Act& x = p.in();
  const double cx = (x.w - 1) * 0.5, cy = (x.h - 1) * 0.5;
  resample(p, zoom.fill_mode, [&](int b, int xx, int yy) {
    const double zy = 1 + draw(p, 0, zoom.height_factor, b);
    const double zx = zoom.width_factor.zero() ? zy : 1 + draw(p, 1, zoom.width_factor, b);
    return std::pair{cx + (xx - cx) * zx, cy + (yy - cy) * zy};
  });
}

void reference_backward(const RandomZoom&, const LayerPass&) {}

}  // namespace cnn::reference
