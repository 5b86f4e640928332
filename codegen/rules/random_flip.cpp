// RandomFlip: each training sample mirrored left-right and/or upside down.
#include "codegen/rules/augmentation.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const RandomFlip& flip, const Inputs& in) {
  const Dims& d = dims();
  const Shape s = node.output;
  const bool h = flip.mode != FlipMode::vertical, v = flip.mode != FlipMode::horizontal;
  return augmented(ctx, node, in, [&](Expr, Expr) {
    Expr fx = h ? draw(ctx, node, 0, {0, 1}) < 0.5f : Expr(false);
    Expr fy = v ? draw(ctx, node, 1, {0, 1}) < 0.5f : Expr(false);
    return in[0]->out(d.c, Halide::select(fx, s.width - 1 - d.x, d.x),
                      Halide::select(fy, s.height - 1 - d.y, d.y), d.n);
  });
}

InputGrads backward(Context&, const Node& node, const RandomFlip&, const Inputs&, const NodeFuncs&,
                    Upstream, const std::vector<bool>&) {
  no_gradient_through(node);
}

}  // namespace cnn::codegen
