// Dense: bias plus kernel^T x, per sample.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const Dense& dense, const LayerPass& p) {
  const Act& x = p.in();
  Act z = p.output();
  for (int b = 0; b < z.n; ++b)
    for (int u = 0; u < z.c; ++u) {
      double acc = dense.use_bias ? p.param(TensorRole::bias, u) : 0;
      for (int k = 0; k < x.c; ++k)
        acc +=
            x.v[std::size_t(b) * x.c + k] * p.param(TensorRole::kernel, std::size_t(k) * z.c + u);
      z.v[std::size_t(b) * z.c + u] = acc;
    }
  finish_activation(p, dense.activation, z);
}

void reference_backward(const Dense& dense, const LayerPass& p) {
  const Act dz = pre_activation_gradient(p, dense.activation);
  const Act& x = p.in();
  Act& dx = p.d_in();
  for (int b = 0; b < dz.n; ++b)
    for (int u = 0; u < dz.c; ++u) {
      const double g = dz.v[std::size_t(b) * dz.c + u];
      if (dense.use_bias) p.add_gradient(TensorRole::bias, u, g);
      for (int k = 0; k < x.c; ++k) {
        const std::size_t w = std::size_t(k) * dz.c + u;
        p.add_gradient(TensorRole::kernel, w, g * x.v[std::size_t(b) * x.c + k]);
        dx.v[std::size_t(b) * x.c + k] += g * p.param(TensorRole::kernel, w);
      }
    }
}

}  // namespace cnn::reference
