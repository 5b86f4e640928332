// GlobalAveragePooling2D: each channel's mean over the image; its gradient spread evenly.
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const GlobalAveragePooling2D&, const Inputs& in) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  const std::string name(node.name.view());
  RDom r(0, is.width, 0, is.height, name + "_r");
  NodeFuncs f;
  f.out = Func(name);
  f.out(d.c, d.n) = 0.0f;
  f.out(d.c, d.n) += in[0]->out(d.c, r.x, r.y, d.n) / static_cast<float>(is.width * is.height);
  ctx.lowered.add(f.out, Role::pooling);
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const GlobalAveragePooling2D&, const Inputs&,
                    const NodeFuncs&, Upstream up, const std::vector<bool>&) {
  const Dims& d = dims();
  const Shape is = ctx.input_shape(node);
  Func dx(std::string(node.name.view()) + "_d_input");
  dx(d.c, d.x, d.y, d.n) = up.d_out(d.c, d.n) / static_cast<float>(is.width * is.height);
  return {dx};
}

}  // namespace cnn::codegen
