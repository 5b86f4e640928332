// BatchNormalization over channels: batch statistics and the moving ones' update in
// training (variance Bessel-corrected for the update), moving statistics in inference and
// when frozen (trainable = false: inference mode in training too, as Keras).
#include <cmath>

#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

namespace {
double gamma_of(const BatchNormalization& bn, const LayerPass& p, int ch) {
  return bn.scale ? p.param(TensorRole::gamma, ch) : 1.0;
}
double beta_of(const BatchNormalization& bn, const LayerPass& p, int ch) {
  return bn.center ? p.param(TensorRole::beta, ch) : 0.0;
}
}  // namespace

void reference_forward(const BatchNormalization& bn, const LayerPass& p) {
  const Act& x = p.in();
  Act y = p.output();
  const int C = x.c;
  const std::size_t per_channel = x.v.size() / C;
  NodeRecord& r = p.record();
  r.mean.assign(C, 0);
  r.inv_std.assign(C, 0);
  for (int ch = 0; ch < C; ++ch) {
    double mean, var;
    if (p.training() && p.node.trainable) {
      double s = 0;
      for (std::size_t j = ch; j < x.v.size(); j += C) s += x.v[j];
      mean = s / per_channel;
      double q = 0;
      for (std::size_t j = ch; j < x.v.size(); j += C) q += (x.v[j] - mean) * (x.v[j] - mean);
      var = q / per_channel;
      const double unbiased = var * per_channel / std::max<double>(per_channel - 1, 1);
      p.set_state(TensorRole::moving_mean, ch,
                  p.param(TensorRole::moving_mean, ch) * bn.momentum + mean * (1 - bn.momentum));
      p.set_state(
          TensorRole::moving_variance, ch,
          p.param(TensorRole::moving_variance, ch) * bn.momentum + unbiased * (1 - bn.momentum));
    } else {
      mean = p.param(TensorRole::moving_mean, ch);
      var = p.param(TensorRole::moving_variance, ch);
    }
    r.mean[ch] = mean;
    r.inv_std[ch] = 1 / std::sqrt(var + bn.epsilon);
    for (std::size_t j = ch; j < x.v.size(); j += C)
      y.v[j] = gamma_of(bn, p, ch) * (x.v[j] - mean) * r.inv_std[ch] + beta_of(bn, p, ch);
  }
  r.out = y;
}

void reference_backward(const BatchNormalization& bn, const LayerPass& p) {
  const Act& x = p.in();
  const Act& dy = p.d_out();
  Act& dx = p.d_in();
  const int C = x.c;
  const double M = double(x.v.size() / C);
  if (!p.node.trainable) {  // frozen: a per-channel affine map with constant coefficients
    for (int ch = 0; ch < C; ++ch)
      for (std::size_t j = ch; j < x.v.size(); j += C)
        dx.v[j] += gamma_of(bn, p, ch) * p.record().inv_std[ch] * dy.v[j];
    return;
  }
  for (int ch = 0; ch < C; ++ch) {
    const double mean = p.record().mean[ch], inv = p.record().inv_std[ch];
    double d_gamma = 0, d_beta = 0;
    for (std::size_t j = ch; j < x.v.size(); j += C) {
      d_gamma += dy.v[j] * (x.v[j] - mean) * inv;
      d_beta += dy.v[j];
    }
    if (bn.scale) p.add_gradient(TensorRole::gamma, ch, d_gamma);
    if (bn.center) p.add_gradient(TensorRole::beta, ch, d_beta);
    const double gamma = gamma_of(bn, p, ch);
    for (std::size_t j = ch; j < x.v.size(); j += C)
      dx.v[j] += gamma * inv / M * (M * dy.v[j] - d_beta - (x.v[j] - mean) * inv * d_gamma);
  }
}

}  // namespace cnn::reference
