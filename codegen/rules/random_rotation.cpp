// RandomRotation: each training sample turned about its center by a drawn angle.
#include <numbers>
#include "codegen/rules/augmentation.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const RandomRotation& rotation,
                  const Inputs& in) {
  const Shape s = node.output;
  const float cx = (s.width - 1) * 0.5f, cy = (s.height - 1) * 0.5f;
  return augmented(ctx, node, in, [&](Expr x, Expr y) {
    Expr angle = draw(ctx, node, 0, rotation.factor) * static_cast<float>(2 * std::numbers::pi);
    Expr cs = Halide::cos(angle), sn = Halide::sin(angle);
    Expr sx = cs * (x - cx) + sn * (y - cy) + cx;
    Expr sy = -sn * (x - cx) + cs * (y - cy) + cy;
    return bilinear(in[0]->out, s, rotation.fill_mode, sx, sy);
  });
}

InputGrads backward(Context&, const Node& node, const RandomRotation&, const Inputs&,
                    const NodeFuncs&, Upstream, const std::vector<bool>&) {
  no_gradient_through(node);
}

}  // namespace cnn::codegen
