// Add: the elementwise sum; every addend gets the whole gradient.
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const Add&, const Inputs& in) {
  const std::vector<Var> a = args_of(node.output);
  Expr total = in[0]->out(a);
  for (std::size_t k = 1; k < in.size(); ++k) total = total + in[k]->out(a);
  NodeFuncs f;
  f.out = Func(std::string(node.name.view()));
  f.out(a) = total;
  ctx.lowered.add(f.out, pointwise(node.output));
  return f;
}

InputGrads backward(Context&, const Node&, const Add&, const Inputs& in, const NodeFuncs&,
                    Upstream up, const std::vector<bool>&) {
  return InputGrads(in.size(), up.d_out);
}

}  // namespace cnn::codegen
