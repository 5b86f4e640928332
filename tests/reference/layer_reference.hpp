// What a layer kind's reference (layers/<kind>.cpp) works with: plain NHWC arrays in double
// precision, and one LayerPass per node that gives its inputs, its parameters, and, going
// back, the gradient of its output and where to add its inputs' and parameters' gradients.
// Each registered kind defines reference_forward() and reference_backward() for its struct.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "runtime/model/model_info.hpp"

namespace cnn::reference {

// An activation batch, NHWC; a flat tensor has height = width = 1.
struct Act {
  int n = 0, h = 1, w = 1, c = 0;
  std::vector<double> v;
  Act() = default;
  Act(int batch, const Shape& s)
      : n(batch),
        h(s.height),
        w(s.width),
        c(s.channels),
        v(static_cast<std::size_t>(batch) * s.height * s.width * s.channels, 0.0) {}
  std::size_t index(int b, int y, int x, int ch) const {
    return ((static_cast<std::size_t>(b) * h + y) * w + x) * c + ch;
  }
  double& at(int b, int y, int x, int ch) { return v[index(b, y, x, ch)]; }
  double at(int b, int y, int x, int ch) const { return v[index(b, y, x, ch)]; }
};

// What the forward pass keeps of a node for its backward.
struct NodeRecord {
  Act out;
  Act pre_activation;        // layers with an activation argument
  std::vector<int> argmax;   // MaxPooling2D: flat window index of each output's maximum
  std::vector<double> mean;  // BatchNormalization: the statistics it normalized with
  std::vector<double> inv_std;
};

struct Pass {
  const runtime::ModelInfo& model;
  std::span<const float> params;
  std::span<const float> state;
  bool training;
  std::int32_t seed, step;
  int batch;
  const std::vector<float>* images;
  std::vector<NodeRecord> records;
  std::vector<double> new_state;  // moving statistics after the step
  std::vector<Act> grads;         // d loss / d output, per node (backward)
  std::vector<double> gradients;  // d loss / d parameter (backward)
};

// One node's view of the pass.
struct LayerPass {
  Pass& pass;
  std::size_t index;
  const Node& node;

  int batch() const { return pass.batch; }
  bool training() const { return pass.training; }
  const Act& in(int k = 0) const { return pass.records[std::size_t(node.input(k))].out; }
  NodeRecord& record() const { return pass.records[index]; }
  Act output() const { return Act(pass.batch, node.output); }
  const TensorSlot* slot(TensorRole role) const;
  double param(TensorRole role, std::size_t i) const;
  void set_state(TensorRole role, std::size_t i, double value) const;
  // The kernels' random draw for this node: stream `stream`, element `element`.
  float uniform(int stream, std::uint32_t element) const;

  // Backward: the gradient w.r.t. the output (or, where `d_logits`, the pre-activation)...
  const Act& d_out() const { return pass.grads[index]; }
  bool d_logits() const { return index == std::size_t(pass.model.output); }
  // ... and where the gradients of inputs and parameters go.
  Act& d_in(int k = 0) const { return pass.grads[std::size_t(node.input(k))]; }
  void add_gradient(TensorRole role, std::size_t i, double g) const;
};

// The activation step of Conv2D, Dense and Activation: records the pre-activation and the
// output; going back, the gradient w.r.t. the pre-activation.
void finish_activation(const LayerPass& p, ActivationFn f, Act z);
Act pre_activation_gradient(const LayerPass& p, ActivationFn f);

// Keras's padding before the first pixel of a window sliding over `in`.
struct Window {
  int kh, kw, sy, sx, pad_top, pad_left;
  Window(const Shape& in, Size2 window, Size2 strides, Padding padding);
};

#define CNN_DECLARE_REFERENCE(Type, member)                      \
  void reference_forward(const Type& layer, const LayerPass& p); \
  void reference_backward(const Type& layer, const LayerPass& p);
CNN_LAYER_KINDS(CNN_DECLARE_REFERENCE)
#undef CNN_DECLARE_REFERENCE

}  // namespace cnn::reference
