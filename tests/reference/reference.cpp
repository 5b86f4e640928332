#include "tests/reference/reference.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cnn::reference {

namespace {

// An activation batch, NHWC; a flat tensor has height = width = 1.
struct Act {
  int n = 0, h = 1, w = 1, c = 0;
  std::vector<double> v;
  Act() = default;
  Act(int n_, const Shape& s) : n(n_), h(s.height), w(s.width), c(s.channels),
                                v(static_cast<std::size_t>(n_) * s.height * s.width * s.channels, 0.0) {}
  double& at(int b, int y, int x, int ch) { return v[(((std::size_t)b * h + y) * w + x) * c + ch]; }
  double at(int b, int y, int x, int ch) const { return v[(((std::size_t)b * h + y) * w + x) * c + ch]; }
};

std::uint32_t mix(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x7feb352du;
  h ^= h >> 15;
  h *= 0x846ca68bu;
  return h ^ (h >> 16);
}

double act_f(ActivationFn f, double z) {
  switch (f) {
    case ActivationFn::relu: return z > 0 ? z : 0;
    case ActivationFn::sigmoid: return 1 / (1 + std::exp(-z));
    case ActivationFn::tanh: return std::tanh(z);
    default: return z;
  }
}
double act_df_from_y(ActivationFn f, double y) {
  switch (f) {
    case ActivationFn::relu: return y > 0 ? 1 : 0;
    case ActivationFn::sigmoid: return y * (1 - y);
    case ActivationFn::tanh: return 1 - y * y;
    default: return 1;
  }
}

void softmax_rows(Act& a) {  // over channels, for each (n, y, x)
  for (int b = 0; b < a.n; ++b)
    for (int y = 0; y < a.h; ++y)
      for (int x = 0; x < a.w; ++x) {
        double m = -1e300, s = 0;
        for (int k = 0; k < a.c; ++k) m = std::max(m, a.at(b, y, x, k));
        for (int k = 0; k < a.c; ++k) s += std::exp(a.at(b, y, x, k) - m);
        for (int k = 0; k < a.c; ++k) a.at(b, y, x, k) = std::exp(a.at(b, y, x, k) - m) / s;
      }
}

struct Pass {
  const runtime::ModelInfo& model;
  const std::vector<float>& params;
  const std::vector<float>& state;
  bool training;
  std::int32_t seed, step;
  int batch;
  std::vector<Act> out, logits;       // per node
  std::vector<std::vector<int>> argmax; // max pooling: flat window index per output
  std::vector<std::vector<double>> bn_mean, bn_inv_std;
  std::vector<double> new_state;

  double param(const Node& node, TensorRole role, std::size_t i) const {
    const TensorSlot* s = model.table.find(int(&node - model.nodes.data()), role);
    return in_state_buffer(role) ? state[s->offset + i] : params[s->offset + i];
  }
  const TensorSlot* slot(const Node& node, TensorRole role) const {
    return model.table.find(int(&node - model.nodes.data()), role);
  }
  const Act& in(const Node& node, int k = 0) const { return out[std::size_t(node.input(k))]; }

  void forward(const std::vector<float>& images) {
    const std::size_t N = model.nodes.size();
    out.resize(N);
    logits.resize(N);
    argmax.resize(N);
    bn_mean.resize(N);
    bn_inv_std.resize(N);
    new_state.assign(state.begin(), state.end());
    for (std::size_t i = 0; i < N; ++i) {
      const Node& node = model.nodes[i];
      Act y(batch, node.output);
      switch (node.kind) {
        case LayerKind::input:
          for (std::size_t j = 0; j < y.v.size(); ++j) y.v[j] = images[j];
          out[i] = y;
          break;
        case LayerKind::conv2d: {
          const Act& x = in(node);
          const int kh = node.window.height, kw = node.window.width;
          const int sy = node.strides.height, sx = node.strides.width;
          const int pt = padding_before(x.h, kh, sy, node.padding), pl = padding_before(x.w, kw, sx, node.padding);
          for (int b = 0; b < batch; ++b)
            for (int oy = 0; oy < y.h; ++oy)
              for (int ox = 0; ox < y.w; ++ox)
                for (int co = 0; co < y.c; ++co) {
                  double acc = node.use_bias ? param(node, TensorRole::bias, co) : 0;
                  for (int ky = 0; ky < kh; ++ky)
                    for (int kx = 0; kx < kw; ++kx) {
                      const int iy = oy * sy + ky - pt, ix = ox * sx + kx - pl;
                      if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
                      for (int ci = 0; ci < x.c; ++ci)
                        acc += x.at(b, iy, ix, ci) *
                               param(node, TensorRole::kernel, ((std::size_t(ky) * kw + kx) * x.c + ci) * y.c + co);
                    }
                  y.at(b, oy, ox, co) = acc;
                }
          finish_activation(i, y);
          break;
        }
        case LayerKind::dense: {
          const Act& x = in(node);
          for (int b = 0; b < batch; ++b)
            for (int u = 0; u < y.c; ++u) {
              double acc = node.use_bias ? param(node, TensorRole::bias, u) : 0;
              for (int k = 0; k < x.c; ++k) acc += x.v[std::size_t(b) * x.c + k] * param(node, TensorRole::kernel, std::size_t(k) * y.c + u);
              y.v[std::size_t(b) * y.c + u] = acc;
            }
          finish_activation(i, y);
          break;
        }
        case LayerKind::max_pooling2d:
        case LayerKind::average_pooling2d: {
          const Act& x = in(node);
          const bool is_max = node.kind == LayerKind::max_pooling2d;
          const int kh = node.window.height, kw = node.window.width;
          const int sy = node.strides.height, sx = node.strides.width;
          const int pt = padding_before(x.h, kh, sy, node.padding), pl = padding_before(x.w, kw, sx, node.padding);
          argmax[i].assign(y.v.size(), -1);
          for (int b = 0; b < batch; ++b)
            for (int oy = 0; oy < y.h; ++oy)
              for (int ox = 0; ox < y.w; ++ox)
                for (int ch = 0; ch < y.c; ++ch) {
                  double best = -1e300, sum = 0;
                  int best_k = -1, count = 0;
                  for (int ky = 0; ky < kh; ++ky)
                    for (int kx = 0; kx < kw; ++kx) {
                      const int iy = oy * sy + ky - pt, ix = ox * sx + kx - pl;
                      if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
                      const double v = x.at(b, iy, ix, ch);
                      if (v > best) { best = v; best_k = ky * kw + kx; }  // first maximum wins
                      sum += v;
                      ++count;
                    }
                  y.at(b, oy, ox, ch) = is_max ? best : sum / count;
                  argmax[i][&y.at(b, oy, ox, ch) - y.v.data()] = best_k;
                }
          out[i] = y;
          break;
        }
        case LayerKind::global_average_pooling2d: {
          const Act& x = in(node);
          for (int b = 0; b < batch; ++b)
            for (int ch = 0; ch < x.c; ++ch) {
              double s = 0;
              for (int yy = 0; yy < x.h; ++yy)
                for (int xx = 0; xx < x.w; ++xx) s += x.at(b, yy, xx, ch);
              y.v[std::size_t(b) * x.c + ch] = s / (x.h * x.w);
            }
          out[i] = y;
          break;
        }
        case LayerKind::flatten:
          y.v = in(node).v;  // NHWC is already (h, w, c) order per sample
          out[i] = y;
          break;
        case LayerKind::dropout: {
          const Act& x = in(node);
          for (std::size_t j = 0; j < y.v.size(); ++j) {
            y.v[j] = x.v[j];
            if (training && node.rate > 0)
              y.v[j] = keep(node, i, j) ? x.v[j] / (1 - node.rate) : 0;
          }
          out[i] = y;
          break;
        }
        case LayerKind::batch_normalization: {
          const Act& x = in(node);
          const int C = x.c;
          const std::size_t per_channel = x.v.size() / C;
          bn_mean[i].assign(C, 0);
          bn_inv_std[i].assign(C, 0);
          for (int ch = 0; ch < C; ++ch) {
            double mean, var;
            if (training) {
              double s = 0;
              for (std::size_t j = ch; j < x.v.size(); j += C) s += x.v[j];
              mean = s / per_channel;
              double q = 0;
              for (std::size_t j = ch; j < x.v.size(); j += C) q += (x.v[j] - mean) * (x.v[j] - mean);
              var = q / per_channel;
              const TensorSlot* mm = slot(node, TensorRole::moving_mean);
              const TensorSlot* mv = slot(node, TensorRole::moving_variance);
              new_state[mm->offset + ch] = state[mm->offset + ch] * node.momentum + mean * (1 - node.momentum);
              new_state[mv->offset + ch] = state[mv->offset + ch] * node.momentum +
                                           var * per_channel / std::max<double>(per_channel - 1, 1) * (1 - node.momentum);
            } else {
              mean = param(node, TensorRole::moving_mean, ch);
              var = param(node, TensorRole::moving_variance, ch);
            }
            bn_mean[i][ch] = mean;
            bn_inv_std[i][ch] = 1 / std::sqrt(var + node.epsilon);
            for (std::size_t j = ch; j < x.v.size(); j += C)
              y.v[j] = param(node, TensorRole::gamma, ch) * (x.v[j] - mean) * bn_inv_std[i][ch] +
                       param(node, TensorRole::beta, ch);
          }
          out[i] = y;
          break;
        }
        case LayerKind::activation:
          y.v = in(node).v;
          finish_activation(i, y);
          break;
        case LayerKind::add:
          for (int k = 0; k < node.input_count; ++k)
            for (std::size_t j = 0; j < y.v.size(); ++j) y.v[j] += in(node, k).v[j];
          out[i] = y;
          break;
        case LayerKind::concatenate: {
          int offset = 0;
          for (int k = 0; k < node.input_count; ++k) {
            const Act& x = in(node, k);
            for (int b = 0; b < batch; ++b)
              for (int yy = 0; yy < x.h; ++yy)
                for (int xx = 0; xx < x.w; ++xx)
                  for (int ch = 0; ch < x.c; ++ch) y.at(b, yy, xx, offset + ch) = x.at(b, yy, xx, ch);
            offset += x.c;
          }
          out[i] = y;
          break;
        }
        default:  // augmentation: the identity in inference
          y.v = in(node).v;
          if (training) augment(node, i, in(node), y);
          out[i] = y;
          break;
      }
    }
  }

  // Keras's fill modes for an integer coordinate along an axis of `size` pixels.
  static int fill_coordinate(FillMode mode, int i, int size) {
    switch (mode) {
      case FillMode::reflect: {
        const int m = ((i % (2 * size)) + 2 * size) % (2 * size);
        return m < size ? m : 2 * size - 1 - m;
      }
      case FillMode::wrap: return ((i % size) + size) % size;
      default: return std::clamp(i, 0, size - 1);
    }
  }
  static double bilinear(const Act& x, FillMode mode, int b, int ch, double sx, double sy) {
    const int x0 = int(std::floor(sx)), y0 = int(std::floor(sy));
    const double fx = sx - x0, fy = sy - y0;
    auto at = [&](int xi, int yi) {
      if (mode == FillMode::constant && (xi < 0 || xi >= x.w || yi < 0 || yi >= x.h)) return 0.0;
      return x.at(b, fill_coordinate(mode, yi, x.h), fill_coordinate(mode, xi, x.w), ch);
    };
    const double top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * fx;
    const double bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * fx;
    return top + (bottom - top) * fy;
  }
  // A per-sample draw in [lower, upper), as the kernels draw it.
  double draw(std::size_t i, int which, Range r, int b) const {
    const float u = uniform_random(seed, step, int(i) * 8 + which, std::uint32_t(b));
    return float(r.lower) + float(r.upper - r.lower) * u;
  }
  void augment(const Node& node, std::size_t i, const Act& x, Act& y) const {
    const double cx = (x.w - 1) * 0.5, cy = (x.h - 1) * 0.5;
    for (int b = 0; b < batch; ++b) {
      bool flip_x = false, flip_y = false;
      double tx = 0, ty = 0, angle = 0, zx = 1, zy = 1;
      switch (node.kind) {
        case LayerKind::random_flip:
          flip_x = node.flip != FlipMode::vertical && draw(i, 0, {0, 1}, b) < 0.5;
          flip_y = node.flip != FlipMode::horizontal && draw(i, 1, {0, 1}, b) < 0.5;
          break;
        case LayerKind::random_translation:
          tx = draw(i, 0, node.width_factor, b) * x.w;
          ty = draw(i, 1, node.height_factor, b) * x.h;
          break;
        case LayerKind::random_rotation:
          angle = draw(i, 0, node.height_factor, b) * 2 * 3.14159265358979323846;
          break;
        default:  // zoom
          zy = 1 + draw(i, 0, node.height_factor, b);
          zx = node.width_factor.zero() ? zy : 1 + draw(i, 1, node.width_factor, b);
          break;
      }
      for (int yy = 0; yy < y.h; ++yy)
        for (int xx = 0; xx < y.w; ++xx)
          for (int ch = 0; ch < y.c; ++ch) {
            if (node.kind == LayerKind::random_flip) {
              y.at(b, yy, xx, ch) = x.at(b, flip_y ? x.h - 1 - yy : yy, flip_x ? x.w - 1 - xx : xx, ch);
              continue;
            }
            // The output pixel reads the input where the inverse transform puts it.
            const double dx = xx - cx, dy = yy - cy;
            const double sx = std::cos(angle) * dx + std::sin(angle) * dy;
            const double sy = -std::sin(angle) * dx + std::cos(angle) * dy;
            y.at(b, yy, xx, ch) = bilinear(x, node.fill, b, ch, cx + sx * zx - tx, cy + sy * zy - ty);
          }
    }
  }

  bool keep(const Node& node, std::size_t i, std::size_t j) const {
    (void)node;
    return uniform_random(seed, step, int(i), std::uint32_t(j)) >= float(node.rate);
  }

  void finish_activation(std::size_t i, Act& z) {
    const Node& node = model.nodes[i];
    logits[i] = z;
    if (node.activation == ActivationFn::softmax)
      softmax_rows(z);
    else
      for (double& v : z.v) v = act_f(node.activation, v);
    out[i] = z;
  }
};

}  // namespace

float uniform_random(std::int32_t seed, std::int32_t step, int stream, std::uint32_t index) {
  std::uint32_t h = mix(std::uint32_t(seed) ^ (std::uint32_t(stream) * 0x9e3779b9u));
  h = mix(h + std::uint32_t(step));
  h = mix(h + index);
  return float(h >> 8) * (1.0f / 16777216.0f);
}

std::vector<double> infer(const runtime::ModelInfo& model, const std::vector<float>& params,
                          const std::vector<float>& state, const std::vector<float>& images,
                          int batch) {
  Pass p{model, params, state, false, 0, 0, batch, {}, {}, {}, {}, {}, {}};
  p.forward(images);
  return p.out[std::size_t(model.output)].v;
}

StepResult train_step(const runtime::ModelInfo& model, const std::vector<float>& params,
                      const std::vector<float>& state, const std::vector<float>& images,
                      const std::vector<float>& targets, int batch, std::int32_t seed,
                      std::int32_t step) {
  Pass p{model, params, state, true, seed, step, batch, {}, {}, {}, {}, {}, {}};
  p.forward(images);
  const std::size_t N = model.nodes.size();
  const int classes = model.classes();
  const Node& last = model.nodes[std::size_t(model.output)];
  const Act& prob = p.out[std::size_t(model.output)];
  StepResult r;
  r.gradients.assign(params.size(), 0.0);
  r.new_state = p.new_state;

  // Loss and its gradient w.r.t. the final softmax's logits: (p - t) / n.
  std::vector<Act> grad(N);
  for (std::size_t i = 0; i < N; ++i) grad[i] = Act(batch, model.nodes[i].output);
  Act d_logits(batch, last.output);
  for (int b = 0; b < batch; ++b) {
    int best = 0, target_best = 0;
    double tsum = 0;
    for (int k = 0; k < classes; ++k) {
      const double pk = prob.v[std::size_t(b) * classes + k], tk = targets[std::size_t(b) * classes + k];
      r.loss -= tk * std::log(pk) / batch;
      tsum += tk;
      if (pk > prob.v[std::size_t(b) * classes + best]) best = k;
      if (tk > targets[std::size_t(b) * classes + target_best]) target_best = k;
    }
    for (int k = 0; k < classes; ++k)
      d_logits.v[std::size_t(b) * classes + k] =
          (prob.v[std::size_t(b) * classes + k] * tsum - targets[std::size_t(b) * classes + k]) / batch;
    r.correct += best == target_best;
  }

  auto add_grad = [&](const Node& node, TensorRole role, std::size_t k, double g) {
    r.gradients[p.slot(node, role)->offset + k] += g;
  };

  for (std::size_t i = std::size_t(model.output); i > 0; --i) {
    const Node& node = model.nodes[i];
    // The gradient w.r.t. this node's pre-activation.
    Act dz = grad[i];
    if (i == std::size_t(model.output)) {
      dz = d_logits;
    } else if (node.kind == LayerKind::conv2d || node.kind == LayerKind::dense ||
               node.kind == LayerKind::activation) {
      const Act& y = p.out[i];
      if (node.activation == ActivationFn::softmax) {
        for (std::size_t row = 0; row < y.v.size() / y.c; ++row) {
          double dot = 0;
          for (int k = 0; k < y.c; ++k) dot += grad[i].v[row * y.c + k] * y.v[row * y.c + k];
          for (int k = 0; k < y.c; ++k)
            dz.v[row * y.c + k] = y.v[row * y.c + k] * (grad[i].v[row * y.c + k] - dot);
        }
      } else {
        for (std::size_t j = 0; j < y.v.size(); ++j) dz.v[j] = grad[i].v[j] * act_df_from_y(node.activation, y.v[j]);
      }
    }
    switch (node.kind) {
      case LayerKind::conv2d: {
        const Act& x = p.in(node);
        Act& dx = grad[std::size_t(node.input(0))];
        const int kh = node.window.height, kw = node.window.width;
        const int sy = node.strides.height, sx = node.strides.width;
        const int pt = padding_before(x.h, kh, sy, node.padding), pl = padding_before(x.w, kw, sx, node.padding);
        for (int b = 0; b < batch; ++b)
          for (int oy = 0; oy < dz.h; ++oy)
            for (int ox = 0; ox < dz.w; ++ox)
              for (int co = 0; co < dz.c; ++co) {
                const double g = dz.at(b, oy, ox, co);
                if (node.use_bias) add_grad(node, TensorRole::bias, co, g);
                for (int ky = 0; ky < kh; ++ky)
                  for (int kx = 0; kx < kw; ++kx) {
                    const int iy = oy * sy + ky - pt, ix = ox * sx + kx - pl;
                    if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
                    for (int ci = 0; ci < x.c; ++ci) {
                      const std::size_t k = ((std::size_t(ky) * kw + kx) * x.c + ci) * dz.c + co;
                      add_grad(node, TensorRole::kernel, k, g * x.at(b, iy, ix, ci));
                      dx.at(b, iy, ix, ci) += g * p.param(node, TensorRole::kernel, k);
                    }
                  }
              }
        break;
      }
      case LayerKind::dense: {
        const Act& x = p.in(node);
        Act& dx = grad[std::size_t(node.input(0))];
        for (int b = 0; b < batch; ++b)
          for (int u = 0; u < dz.c; ++u) {
            const double g = dz.v[std::size_t(b) * dz.c + u];
            if (node.use_bias) add_grad(node, TensorRole::bias, u, g);
            for (int k = 0; k < x.c; ++k) {
              add_grad(node, TensorRole::kernel, std::size_t(k) * dz.c + u, g * x.v[std::size_t(b) * x.c + k]);
              dx.v[std::size_t(b) * x.c + k] += g * p.param(node, TensorRole::kernel, std::size_t(k) * dz.c + u);
            }
          }
        break;
      }
      case LayerKind::max_pooling2d:
      case LayerKind::average_pooling2d: {
        const Act& x = p.in(node);
        Act& dx = grad[std::size_t(node.input(0))];
        const bool is_max = node.kind == LayerKind::max_pooling2d;
        const int kh = node.window.height, kw = node.window.width;
        const int sy = node.strides.height, sx = node.strides.width;
        const int pt = padding_before(x.h, kh, sy, node.padding), pl = padding_before(x.w, kw, sx, node.padding);
        for (int b = 0; b < batch; ++b)
          for (int oy = 0; oy < dz.h; ++oy)
            for (int ox = 0; ox < dz.w; ++ox)
              for (int ch = 0; ch < dz.c; ++ch) {
                const std::size_t o = &dz.at(b, oy, ox, ch) - dz.v.data();
                int count = 0;
                for (int ky = 0; ky < kh; ++ky)
                  for (int kx = 0; kx < kw; ++kx) {
                    const int iy = oy * sy + ky - pt, ix = ox * sx + kx - pl;
                    count += iy >= 0 && iy < x.h && ix >= 0 && ix < x.w;
                  }
                for (int ky = 0; ky < kh; ++ky)
                  for (int kx = 0; kx < kw; ++kx) {
                    const int iy = oy * sy + ky - pt, ix = ox * sx + kx - pl;
                    if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
                    if (is_max)
                      dx.at(b, iy, ix, ch) += p.argmax[i][o] == ky * kw + kx ? dz.v[o] : 0;
                    else
                      dx.at(b, iy, ix, ch) += dz.v[o] / count;
                  }
              }
        break;
      }
      case LayerKind::global_average_pooling2d: {
        Act& dx = grad[std::size_t(node.input(0))];
        for (int b = 0; b < batch; ++b)
          for (int yy = 0; yy < dx.h; ++yy)
            for (int xx = 0; xx < dx.w; ++xx)
              for (int ch = 0; ch < dx.c; ++ch) dx.at(b, yy, xx, ch) += dz.v[std::size_t(b) * dx.c + ch] / (dx.h * dx.w);
        break;
      }
      case LayerKind::flatten:
      case LayerKind::activation: {
        Act& dx = grad[std::size_t(node.input(0))];
        for (std::size_t j = 0; j < dx.v.size(); ++j) dx.v[j] += dz.v[j];
        break;
      }
      case LayerKind::dropout: {
        Act& dx = grad[std::size_t(node.input(0))];
        for (std::size_t j = 0; j < dx.v.size(); ++j)
          dx.v[j] += node.rate > 0 ? (p.keep(node, i, j) ? dz.v[j] / (1 - node.rate) : 0) : dz.v[j];
        break;
      }
      case LayerKind::batch_normalization: {
        const Act& x = p.in(node);
        Act& dx = grad[std::size_t(node.input(0))];
        const int C = x.c;
        const double M = double(x.v.size() / C);
        for (int ch = 0; ch < C; ++ch) {
          const double mean = p.bn_mean[i][ch], inv = p.bn_inv_std[i][ch];
          double dgamma = 0, dbeta = 0;
          for (std::size_t j = ch; j < x.v.size(); j += C) {
            dgamma += dz.v[j] * (x.v[j] - mean) * inv;
            dbeta += dz.v[j];
          }
          add_grad(node, TensorRole::gamma, ch, dgamma);
          add_grad(node, TensorRole::beta, ch, dbeta);
          const double gamma = p.param(node, TensorRole::gamma, ch);
          for (std::size_t j = ch; j < x.v.size(); j += C)
            dx.v[j] += gamma * inv / M * (M * dz.v[j] - dbeta - (x.v[j] - mean) * inv * dgamma);
        }
        break;
      }
      case LayerKind::add:
        for (int k = 0; k < node.input_count; ++k) {
          Act& dx = grad[std::size_t(node.input(k))];
          for (std::size_t j = 0; j < dx.v.size(); ++j) dx.v[j] += dz.v[j];
        }
        break;
      case LayerKind::concatenate: {
        int offset = 0;
        for (int k = 0; k < node.input_count; ++k) {
          Act& dx = grad[std::size_t(node.input(k))];
          for (int b = 0; b < batch; ++b)
            for (int yy = 0; yy < dx.h; ++yy)
              for (int xx = 0; xx < dx.w; ++xx)
                for (int ch = 0; ch < dx.c; ++ch) dx.at(b, yy, xx, ch) += dz.at(b, yy, xx, offset + ch);
          offset += dx.c;
        }
        break;
      }
      default:
        break;
    }
  }
  return r;
}

}  // namespace cnn::reference
