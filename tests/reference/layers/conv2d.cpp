// Conv2D: the sum over each window of kernel times input, straight from its definition.
#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

void reference_forward(const Conv2D& conv, const LayerPass& p) {
  const Act& x = p.in();
  Act z = p.output();
  const Window w(p.pass.model.nodes[std::size_t(p.node.input(0))].output, conv.kernel_size,
                 conv.strides, conv.padding);
  for (int b = 0; b < z.n; ++b)
    for (int oy = 0; oy < z.h; ++oy)
      for (int ox = 0; ox < z.w; ++ox)
        for (int co = 0; co < z.c; ++co) {
          double acc = conv.use_bias ? p.param(TensorRole::bias, co) : 0;
          for (int ky = 0; ky < w.kh; ++ky)
            for (int kx = 0; kx < w.kw; ++kx) {
              const int iy = oy * w.sy + ky - w.pad_top, ix = ox * w.sx + kx - w.pad_left;
              if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
              for (int ci = 0; ci < x.c; ++ci)
                acc += x.at(b, iy, ix, ci) *
                       p.param(TensorRole::kernel,
                               ((std::size_t(ky) * w.kw + kx) * x.c + ci) * z.c + co);
            }
          z.at(b, oy, ox, co) = acc;
        }
  finish_activation(p, conv.activation, z);
}

void reference_backward(const Conv2D& conv, const LayerPass& p) {
  const Act dz = pre_activation_gradient(p, conv.activation);
  const Act& x = p.in();
  Act& dx = p.d_in();
  const Window w(p.pass.model.nodes[std::size_t(p.node.input(0))].output, conv.kernel_size,
                 conv.strides, conv.padding);
  for (int b = 0; b < dz.n; ++b)
    for (int oy = 0; oy < dz.h; ++oy)
      for (int ox = 0; ox < dz.w; ++ox)
        for (int co = 0; co < dz.c; ++co) {
          const double g = dz.at(b, oy, ox, co);
          if (conv.use_bias) p.add_gradient(TensorRole::bias, co, g);
          for (int ky = 0; ky < w.kh; ++ky)
            for (int kx = 0; kx < w.kw; ++kx) {
              const int iy = oy * w.sy + ky - w.pad_top, ix = ox * w.sx + kx - w.pad_left;
              if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
              for (int ci = 0; ci < x.c; ++ci) {
                const std::size_t k = ((std::size_t(ky) * w.kw + kx) * x.c + ci) * dz.c + co;
                p.add_gradient(TensorRole::kernel, k, g * x.at(b, iy, ix, ci));
                dx.at(b, iy, ix, ci) += g * p.param(TensorRole::kernel, k);
              }
            }
        }
}

}  // namespace cnn::reference
