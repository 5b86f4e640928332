#include "tests/reference/reference.hpp"

#include <cmath>

#include "tests/reference/layer_reference.hpp"

namespace cnn::reference {

namespace {

std::uint32_t mix(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x7feb352du;
  h ^= h >> 15;
  h *= 0x846ca68bu;
  return h ^ (h >> 16);
}

double activate(ActivationFn f, double z) {
  switch (f) {
    case ActivationFn::relu: return z > 0 ? z : 0;
    case ActivationFn::sigmoid: return 1 / (1 + std::exp(-z));
    case ActivationFn::tanh: return std::tanh(z);
    case ActivationFn::linear:
    case ActivationFn::softmax: return z;
  }
  return z;
}

double derivative_from_output(ActivationFn f, double y) {
  switch (f) {
    case ActivationFn::relu: return y > 0 ? 1 : 0;
    case ActivationFn::sigmoid: return y * (1 - y);
    case ActivationFn::tanh: return 1 - y * y;
    case ActivationFn::linear:
    case ActivationFn::softmax: return 1;
  }
  return 1;
}

void softmax_rows(Act& a) {  // over channels, for each (n, y, x)
  for (std::size_t row = 0; row < a.v.size() / a.c; ++row) {
    double* z = &a.v[row * a.c];
    double m = -1e300, s = 0;
    for (int k = 0; k < a.c; ++k) m = std::max(m, z[k]);
    for (int k = 0; k < a.c; ++k) s += std::exp(z[k] - m);
    for (int k = 0; k < a.c; ++k) z[k] = std::exp(z[k] - m) / s;
  }
}

void forward(Pass& p) {
  const std::size_t count = p.model.nodes.size();
  p.records.assign(count, {});
  p.new_state.assign(p.state.begin(), p.state.end());
  for (std::size_t i = 0; i < count; ++i) {
    const LayerPass layer{p, i, p.model.nodes[i]};
    visit(layer.node, [&](const auto& kind) { reference_forward(kind, layer); });
  }
}

}  // namespace

const TensorSlot* LayerPass::slot(TensorRole role) const {
  return pass.model.table.find(static_cast<int>(index), role);
}

double LayerPass::param(TensorRole role, std::size_t i) const {
  const TensorSlot* s = slot(role);
  return in_state_buffer(role) ? pass.state[std::size_t(s->offset) + i]
                               : pass.params[std::size_t(s->offset) + i];
}

void LayerPass::set_state(TensorRole role, std::size_t i, double value) const {
  pass.new_state[std::size_t(slot(role)->offset) + i] = value;
}

float LayerPass::uniform(int stream, std::uint32_t element) const {
  return uniform_random(pass.seed, pass.step, stream, element);
}

void LayerPass::add_gradient(TensorRole role, std::size_t i, double g) const {
  if (!node.trainable) return;  // frozen: its weights get no gradient
  pass.gradients[std::size_t(slot(role)->offset) + i] += g;
}

void finish_activation(const LayerPass& p, ActivationFn f, Act z) {
  p.record().pre_activation = z;
  if (f == ActivationFn::softmax)
    softmax_rows(z);
  else
    for (double& v : z.v) v = activate(f, v);
  p.record().out = z;
}

Act pre_activation_gradient(const LayerPass& p, ActivationFn f) {
  Act dz = p.d_out();
  if (p.d_logits()) return dz;  // the loss handed over softmax's logits gradient
  const Act& y = p.record().out;
  if (f == ActivationFn::softmax) {
    for (std::size_t row = 0; row < y.v.size() / y.c; ++row) {
      double dot = 0;
      for (int k = 0; k < y.c; ++k) dot += p.d_out().v[row * y.c + k] * y.v[row * y.c + k];
      for (int k = 0; k < y.c; ++k)
        dz.v[row * y.c + k] = y.v[row * y.c + k] * (p.d_out().v[row * y.c + k] - dot);
    }
  } else {
    for (std::size_t j = 0; j < y.v.size(); ++j)
      dz.v[j] = p.d_out().v[j] * derivative_from_output(f, y.v[j]);
  }
  return dz;
}

Window::Window(const Shape& in, Size2 window, Size2 strides, Padding padding)
    : kh(window.height),
      kw(window.width),
      sy(strides.height),
      sx(strides.width),
      pad_top(padding_before(in.height, window.height, strides.height, padding)),
      pad_left(padding_before(in.width, window.width, strides.width, padding)) {}

float uniform_random(std::int32_t seed, std::int32_t step, int stream, std::uint32_t index) {
  std::uint32_t h = mix(std::uint32_t(seed) ^ (std::uint32_t(stream) * 0x9e3779b9u));
  h = mix(h + std::uint32_t(step));
  h = mix(h + index);
  return float(h >> 8) * (1.0f / 16777216.0f);
}

std::vector<double> infer(const runtime::ModelInfo& model, std::span<const float> params,
                          std::span<const float> state, const std::vector<float>& images,
                          int batch) {
  Pass p{model, params, state, false, 0, 0, batch, &images, {}, {}, {}, {}};
  forward(p);
  return p.records[std::size_t(model.output)].out.v;
}

StepResult train_step(const runtime::ModelInfo& model, std::span<const float> params,
                      std::span<const float> state, const std::vector<float>& images,
                      const std::vector<float>& targets, int batch, std::int32_t seed,
                      std::int32_t step) {
  Pass p{model, params, state, true, seed, step, batch, &images, {}, {}, {}, {}};
  forward(p);
  const std::size_t count = model.nodes.size();
  const int classes = model.classes();
  const std::size_t out = std::size_t(model.output);
  const Act& prob = p.records[out].out;
  StepResult r;

  // The loss, and its gradient w.r.t. the final softmax's logits: (p * sum(t) - t) / n.
  p.grads.resize(count);
  for (std::size_t i = 0; i < count; ++i) p.grads[i] = Act(batch, model.nodes[i].output);
  p.gradients.assign(params.size(), 0.0);
  for (int b = 0; b < batch; ++b) {
    const double* pb = &prob.v[std::size_t(b) * classes];
    const float* tb = &targets[std::size_t(b) * classes];
    int best = 0, target_best = 0;
    double target_sum = 0;
    for (int k = 0; k < classes; ++k) {
      r.loss -= tb[k] * std::log(pb[k]) / batch;
      target_sum += tb[k];
      if (pb[k] > pb[best]) best = k;
      if (tb[k] > tb[target_best]) target_best = k;
    }
    for (int k = 0; k < classes; ++k)
      p.grads[out].v[std::size_t(b) * classes + k] = (pb[k] * target_sum - tb[k]) / batch;
    r.correct += best == target_best;
  }
  for (std::size_t i = out; i > 0; --i) {
    const LayerPass layer{p, i, model.nodes[i]};
    visit(layer.node, [&](const auto& kind) { reference_backward(kind, layer); });
  }
  r.gradients = std::move(p.gradients);
  r.new_state = std::move(p.new_state);
  return r;
}

}  // namespace cnn::reference
