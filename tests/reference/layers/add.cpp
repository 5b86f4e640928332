// Add: the sum; every addend gets the whole gradient.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const Add&, const LayerPass& p) {
  Act y = p.output();
  for (int k = 0; k < p.node.input_count; ++k)
    for (std::size_t j = 0; j < y.v.size(); ++j) y.v[j] += p.in(k).v[j];
  p.record().out = y;
}

void reference_backward(const Add&, const LayerPass& p) {
  for (int k = 0; k < p.node.input_count; ++k) {
    Act& dx = p.d_in(k);
    for (std::size_t j = 0; j < dx.v.size(); ++j) dx.v[j] += p.d_out().v[j];
  }
}

}  // namespace cnn::reference
