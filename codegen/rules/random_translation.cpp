// RandomTranslation: each training sample shifted by a drawn fraction of its size.
#include "codegen/rules/augmentation.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const RandomTranslation& translation,
                  const Inputs& in) {
  const Shape s = node.output;
  return augmented(ctx, node, in, [&](Expr x, Expr y) {
    Expr tx = draw(ctx, node, 0, translation.width_factor) * static_cast<float>(s.width);
    Expr ty = draw(ctx, node, 1, translation.height_factor) * static_cast<float>(s.height);
    return bilinear(in[0]->out, s, translation.fill_mode, x - tx, y - ty);
  });
}

InputGrads backward(Context&, const Node& node, const RandomTranslation&, const Inputs&,
                    const NodeFuncs&, Upstream, const std::vector<bool>&) {
  no_gradient_through(node);
}

}  // namespace cnn::codegen
