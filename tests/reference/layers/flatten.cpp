// Flatten: NHWC is already (h, w, c) order per sample.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const Flatten&, const LayerPass& p) {
  Act y = p.output();
  y.v = p.in().v;
  p.record().out = y;
}

void reference_backward(const Flatten&, const LayerPass& p) {
  Act& dx = p.d_in();
  for (std::size_t j = 0; j < dx.v.size(); ++j) dx.v[j] += p.d_out().v[j];
}

}  // namespace cnn::reference
