// RandomRotation: each training sample turned about its center; the output pixel reads
// the input where the inverse rotation puts it.
#include <numbers>

#include "tests/reference/layers/augmentation.hpp"

namespace cnn::reference {

void reference_forward(const RandomRotation& rotation, const LayerPass& p) {
  const Act& x = p.in();
  const double cx = (x.w - 1) * 0.5, cy = (x.h - 1) * 0.5;
  resample(p, rotation.fill_mode, [&](int b, int xx, int yy) {
    const double angle = draw(p, 0, rotation.factor, b) * 2 * std::numbers::pi;
    const double dx = xx - cx, dy = yy - cy;
    return std::pair{cx + std::cos(angle) * dx + std::sin(angle) * dy,
                     cy - std::sin(angle) * dx + std::cos(angle) * dy};
  });
}

void reference_backward(const RandomRotation&, const LayerPass&) {}

}  // namespace cnn::reference
