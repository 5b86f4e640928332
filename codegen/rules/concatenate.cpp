// Concatenate along channels; each input gets its own slice of the gradient.
#include "codegen/rules.hpp"

namespace cnn::codegen {

NodeFuncs forward(Context& ctx, const Node& node, const Concatenate&, const Inputs& in) {
  const std::vector<Var> a = args_of(node.output);
  // Built from the last input backwards: select(c < end_0, in_0, select(c < end_1, ...)).
  std::vector<int> begin;
  int offset = 0;
  for (int k = 0; k < node.input_count; ++k) {
    begin.push_back(offset);
    offset += ctx.input_shape(node, k).channels;
  }
  auto read = [&](int k) {
    const int channels = ctx.input_shape(node, k).channels;
    Expr channel = Halide::clamp(a[0] - begin[static_cast<std::size_t>(k)], 0, channels - 1);
    return in[static_cast<std::size_t>(k)]->out(at_channel(channel, a));
  };
  Expr value = read(node.input_count - 1);
  for (int k = node.input_count - 2; k >= 0; --k)
    value = Halide::select(a[0] < begin[static_cast<std::size_t>(k + 1)], read(k), value);
  NodeFuncs f;
  f.out = Func(std::string(node.name.view()));
  f.out(a) = value;
  ctx.lowered.add(f.out, pointwise(node.output));
  return f;
}

InputGrads backward(Context& ctx, const Node& node, const Concatenate&, const Inputs&,
                    const NodeFuncs&, Upstream up, const std::vector<bool>&) {
  const std::vector<Var> a = args_of(node.output);
  InputGrads grads;
  int offset = 0;
  for (int k = 0; k < node.input_count; ++k) {
    Func dx(std::string(node.name.view()) + "_d_input" + std::to_string(k));
    dx(a) = up.d_out(at_channel(a[0] + offset, a));
    grads.push_back(dx);
    offset += ctx.input_shape(node, k).channels;
  }
  return grads;
}

}  // namespace cnn::codegen
