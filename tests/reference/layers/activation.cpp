// Activation: the activation step alone.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const Activation& layer, const LayerPass& p) {
  finish_activation(p, layer.activation, p.in());
}

void reference_backward(const Activation& layer, const LayerPass& p) {
  const Act dz = pre_activation_gradient(p, layer.activation);
  Act& dx = p.d_in();
  for (std::size_t j = 0; j < dx.v.size(); ++j) dx.v[j] += dz.v[j];
}

}  // namespace cnn::reference
