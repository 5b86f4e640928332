// RandomZoom: each training sample scaled about its center by a drawn factor.
#include "codegen/rules/augmentation.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const RandomZoom& zoom, const Inputs& in) {
  const Shape s = node.output;
  const float cx = (s.width - 1) * 0.5f, cy = (s.height - 1) * 0.5f;
  return augmented(ctx, node, in, [&](Expr x, Expr y) {
    Expr zy = 1.0f + draw(ctx, node, 0, zoom.height_factor);
    Expr zx = zoom.width_factor.zero() ? zy : 1.0f + draw(ctx, node, 1, zoom.width_factor);
    return bilinear(in[0]->out, s, zoom.fill_mode, cx + (x - cx) * zx, cy + (y - cy) * zy);
  });
}

InputGrads backward(Context&, const Node& node, const RandomZoom&, const Inputs&, const NodeFuncs&,
                    Upstream, const std::vector<bool>&) {
  no_gradient_through(node);
}

}  // namespace cnn::codegen
