// Dropout: units dropped where the kernels' draw for (seed, step, layer, unit) is below the
// rate, the others scaled by 1 / (1 - rate); the identity in inference.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

namespace {
bool kept(const Dropout& dropout, const LayerPass& p, std::size_t unit) {
  return p.uniform(int(p.index), std::uint32_t(unit)) >= float(dropout.rate);
}
}  // namespace

void reference_forward(const Dropout& dropout, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  for (std::size_t j = 0; j < y.v.size(); ++j) {
    y.v[j] = x.v[j];
    if (p.training() && dropout.rate > 0)
      y.v[j] = kept(dropout, p, j) ? x.v[j] / (1 - dropout.rate) : 0;
  }
  p.record().out = y;
}

void reference_backward(const Dropout& dropout, const LayerPass& p) {
  Act& dx = p.d_in();
  for (std::size_t j = 0; j < dx.v.size(); ++j)
    dx.v[j] += dropout.rate > 0 ? (kept(dropout, p, j) ? p.d_out().v[j] / (1 - dropout.rate) : 0)
                                : p.d_out().v[j];
}

}  // namespace cnn::reference
