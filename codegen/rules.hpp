// The derivative rules: for each layer kind, a forward rule and the backward rule beside it.
//
// Activations are Funcs over (c, x, y, n) for images and (c, n) for flat tensors, channels
// innermost (Keras's NHWC memory order). A forward rule defines a node's output from its
// inputs' outputs; the matching backward rule defines the gradient of the loss with
// respect to each input from the gradient with respect to the output, and the gradients
// of the node's own parameters. Each registered kind has one pair, in its own file.
#pragma once

#include <map>
#include <vector>

#include <Halide.h>

#include "codegen/lowered.hpp"
#include "dsl/parameters.hpp"

namespace cnn::codegen {

using Halide::Expr;
using Halide::Func;
using Halide::RDom;
using Halide::Var;

// The dimensions every activation is defined over.
struct Dims {
  Var c{"c"}, x{"x"}, y{"y"}, n{"n"};
};
const Dims& dims();

// One node's forward results that its backward rule reads again.
struct NodeFuncs {
  Func out;     // the node's output, activation applied
  Func logits;  // pre-activation (Conv2D, Dense, Activation); defined when it differs
  Func padded;  // Conv2D: its input as it reads it, zero-padded for 'same'
  Func argmax;  // MaxPooling2D: index of the chosen element in each window
  Func keep;    // Dropout: 1 where the unit is kept
  Func mean, inv_std, normalized;  // BatchNormalization (training)

  static NodeFuncs passing(Func out) {  // a layer that is the identity here
    NodeFuncs f;
    f.out = out;
    return f;
  }
};

struct Context {
  const std::vector<Node>& nodes;
  Func images;  // the model's input
  const ParameterTable& table;
  Func params;  // flat, trainable
  Func state;   // flat, moving statistics
  Expr batch;   // samples in this batch
  Expr seed;
  Expr step;
  Expr first_sample;  // added to the batch index n where a random draw is made
  bool training;
  Lowered& lowered;
  std::map<const TensorSlot*, Func> param_grads;  // filled by backward rules
  std::map<const TensorSlot*, Func> new_state;    // filled by forward rules in training

  const Node& node(int i) const { return nodes[static_cast<std::size_t>(i)]; }
  Shape input_shape(const Node& n, int k = 0) const { return node(n.input(k)).output; }
  int index_of(const Node& n) const { return static_cast<int>(&n - nodes.data()); }
  const TensorSlot& slot(const Node& n, TensorRole role) const;
  // A parameter tensor as a Func over its Keras dimensions, innermost first.
  Func tensor(const Node& n, TensorRole role) const;
};

using Inputs = std::vector<const NodeFuncs*>;

// ---- the rules of every registered kind (dsl/layers.hpp) ----------------------------
// forward(): the node's output from its inputs' outputs.
// backward(): `up.d_out` is the gradient with respect to the node's output, or, when
// `up.d_logits` is set, with respect to its pre-activation (the loss rule hands softmax's
// logits gradient over). Returns one gradient per input, an undefined Func where `wanted`
// says the input needs none; records its parameters' gradients in ctx.param_grads.
// Each kind defines both in codegen/rules/<kind>.cpp; a kind without them does not link.
struct Upstream {
  Func d_out;
  bool d_logits = false;
};
using InputGrads = std::vector<Func>;

#define CNN_DECLARE_RULES(Type, member)                                                    \
  NodeFuncs forward(Context& ctx, const Node& node, const Type& layer, const Inputs& in);  \
  InputGrads backward(Context& ctx, const Node& node, const Type& layer, const Inputs& in, \
                      const NodeFuncs& f, Upstream up, const std::vector<bool>& wanted);
CNN_LAYER_KINDS(CNN_DECLARE_RULES)
#undef CNN_DECLARE_RULES

// ---- shared pieces -----------------------------------------------------------------
// Where a Conv2D's or pooling layer's window slides: shapes, extent, strides, and the
// padding 'same' puts before the first pixel.
struct WindowGeometry {
  Shape in, out;
  int kw, kh, sx, sy, pad_left, pad_top;
  bool overlapping() const { return sx < kw || sy < kh; }
};
WindowGeometry window_geometry(const Context& ctx, const Node& node, Size2 window, Size2 strides,
                               Padding padding);

// f applied to an activation's value, and its derivative expressed through the output y.
Expr activate(ActivationFn f, Expr z);
Expr activation_derivative_from_output(ActivationFn f, Expr y);  // not for softmax
// Softmax over the channel dimension of `z` (rank 1 or 3).
Func softmax_over_channels(Func z, const Shape& shape, const std::string& name);

// The same value for (seed, step, stream, index) on every run and target: uniform in [0, 1).
Expr uniform_random(Expr seed, Expr step, int stream, Expr index);

// An image activation read as `fill` outside its extent ('same' padding).
Func bordered(Func f, const Shape& shape, Expr fill, const std::string& name);
// The same with zeros.
Func zero_padded(Func f, const Shape& shape, const std::string& name);

// Args of an activation of `shape`: (c, x, y, n) or (c, n).
std::vector<Var> args_of(const Shape& shape);
// The same args with the channel replaced by `channel`: (channel, x, y, n) or (channel, n).
std::vector<Expr> at_channel(Expr channel, const std::vector<Var>& args);

}  // namespace cnn::codegen
