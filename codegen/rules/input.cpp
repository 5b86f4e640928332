// Input: the images the pipeline is given; nothing is computed before it.
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node&, const Input&, const Inputs&) {
  return NodeFuncs::passing(ctx.images);
}

InputGrads backward(Context&, const Node&, const Input&, const Inputs&, const NodeFuncs&, Upstream,
                    const std::vector<bool>&) {
  return {};  // the images need no gradient
}

}  // namespace cnn::codegen
