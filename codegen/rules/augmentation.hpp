// What the augmentation layers' rules share. In training, each sample is resampled
// (bilinear, Keras's fill modes) through a random transform drawn per sample from
// (seed, step, layer, sample); in inference, the identity. Only the input is augmented, so
// an augmentation layer has no gradient: the generator rejects one placed after a layer
// with parameters.
#pragma once

#include <string>

#include "codegen/rules.hpp"

namespace cnn::codegen {

// Keras's fill modes, applied to an integer coordinate along an axis of `size` pixels.
Expr fill_coordinate(FillMode mode, Expr i, int size);
// Bilinear read of `src` at the real position (sx, sy).
Expr bilinear(Func src, const Shape& s, FillMode mode, Expr sx, Expr sy);
// The node's draw number `which` for this sample, uniform in `range`.
Expr draw(const Context& ctx, const Node& node, int which, Range range);

// The augmented output: `sample(x, y)` gives the value of output pixel (x, y) of channel
// c, sample n (dims()); in inference, the input unchanged.
template <class Sample>
NodeFuncs augmented(Context& ctx, const Node& node, const Inputs& in, Sample sample) {
  if (!ctx.training) return NodeFuncs::passing(in[0]->out);
  const Dims& d = dims();
  NodeFuncs f;
  f.out = Func(std::string(node.name.view()));
  f.out(d.c, d.x, d.y, d.n) = sample(Halide::cast<float>(d.x), Halide::cast<float>(d.y));
  ctx.lowered.add(f.out, Role::pointwise_image);
  return f;
}

// The error for an augmentation layer that the gradient would have to pass through.
[[noreturn]] void no_gradient_through(const Node& node);

}  // namespace cnn::codegen
