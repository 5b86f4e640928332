#include "codegen/lowering.hpp"

#include <stdexcept>

#include "codegen/rules.hpp"

namespace cnn::codegen {

namespace {

std::vector<NodeFuncs> forward_all(Context& ctx, const ModelDescription& m) {
  std::vector<NodeFuncs> fwd(m.nodes.size());
  for (std::size_t i = 0; i < m.nodes.size(); ++i) {
    const Node& node = m.nodes[i];
    Inputs inputs;
    for (int k = 0; k < node.input_count; ++k)
      inputs.push_back(&fwd[static_cast<std::size_t>(node.input(k))]);
    fwd[i] = visit(node, [&](const auto& layer) { return forward(ctx, node, layer, inputs); });
  }
  return fwd;
}

// The classifier's logits: the pre-activation of a final softmax.
Func final_logits(const ModelDescription& m, const std::vector<NodeFuncs>& fwd) {
  const Node& last = m.nodes[static_cast<std::size_t>(m.output)];
  if (activation_of(last) != ActivationFn::softmax || last.output.rank != 1)
    throw std::invalid_argument(
        "model " + m.name + ": the last layer (" + std::string(last.name.view()) +
        ") must end in a softmax over classes for cross-entropy: give it activation=softmax");
  if (last.kind == LayerKind::activation) return fwd[static_cast<std::size_t>(last.input(0))].out;
  return fwd[static_cast<std::size_t>(m.output)].logits;
}

void check_supported(const ModelDescription& m) {
  const Node& last = m.nodes[static_cast<std::size_t>(m.output)];
  if (last.output.rank != 1)
    throw std::invalid_argument("model " + m.name + ": the output must be flat (classes)");
}

// Where the gradient must reach: nodes with parameters and everything they feed.
std::vector<bool> needs_gradient(const ModelDescription& m) {
  std::vector<bool> needs(m.nodes.size(), false);
  for (std::size_t i = 0; i < m.nodes.size(); ++i) {
    const Node& node = m.nodes[i];
    needs[i] = node.trainable_params > 0;
    for (int k = 0; k < node.input_count; ++k)
      needs[i] = needs[i] || needs[static_cast<std::size_t>(node.input(k))];
  }
  return needs;
}

// A flat Func (like `base`), with each tensor's slice overwritten by `values`.
Func scatter_into_flat(const std::string& name, Func base, const std::vector<TensorSlot>& slots,
                       const std::map<const TensorSlot*, Func>& values, bool state_buffer) {
  Var i("i");
  Func flat(name);
  flat(i) = base(i);
  for (const TensorSlot& s : slots) {
    if (in_state_buffer(s.role) != state_buffer) continue;
    auto it = values.find(&s);
    if (it == values.end()) continue;
    Halide::Region box;
    for (int k = s.rank - 1; k >= 0; --k) box.emplace_back(0, s.shape[static_cast<std::size_t>(k)]);
    RDom r(box, name + "_" + std::to_string(s.offset));  // r[0]: the innermost dimension
    std::vector<Expr> args;
    Expr flat_index = 0;
    for (int k = s.rank - 1; k >= 0; --k)
      flat_index = flat_index * s.shape[static_cast<std::size_t>(s.rank - 1 - k)] + r[k];
    for (int k = 0; k < s.rank; ++k) args.push_back(r[k]);
    flat(Expr(static_cast<int>(s.offset)) + flat_index) = it->second(args);
  }
  return flat;
}

}  // namespace

InferencePipeline lower_inference(const ModelDescription& m, const PipelineInputs& in) {
  check_supported(m);
  InferencePipeline p;
  const ParameterTable table = parameter_table(m.nodes);
  Context ctx{m.nodes, in.images, table, in.params, in.state, in.batch, Expr(0),
              Expr(0), Expr(0),   false, p.lowered, {},       {}};
  std::vector<NodeFuncs> fwd = forward_all(ctx, m);
  final_logits(m, fwd);  // the same check as training: a softmax classifier
  const Dims& d = dims();
  p.probabilities = Func("probabilities");
  p.probabilities(d.c, d.n) = fwd[static_cast<std::size_t>(m.output)].out(d.c, d.n);
  return p;
}

TrainingPipeline lower_training(const ModelDescription& m, const PipelineInputs& in) {
  check_supported(m);
  TrainingPipeline p;
  const ParameterTable table = parameter_table(m.nodes);
  Context ctx{m.nodes, in.images,       table, in.params, in.state, in.batch, in.seed,
              in.step, in.first_sample, true,  p.lowered, {},       {}};
  std::vector<NodeFuncs> fwd = forward_all(ctx, m);
  const Dims& d = dims();
  const int classes = m.nodes[static_cast<std::size_t>(m.output)].output.channels;

  // Softmax cross-entropy from the logits, for stability: loss = lse(z) - sum_k t_k z_k.
  Func z = final_logits(m, fwd);
  RDom k(0, classes, "class");
  Func peak("logit_max"), lse("log_sum_exp");
  peak(d.n) = Halide::maximum(z(k, d.n));
  lse(d.n) = peak(d.n) + Halide::log(Halide::sum(Halide::exp(z(k, d.n) - peak(d.n))));
  p.lowered.add(lse, Role::per_sample);
  Expr inv_batch = 1.0f / Halide::cast<float>(in.batch);
  Func sample_loss("sample_loss"), hit("hit");
  sample_loss(d.n) = Halide::sum(in.targets(k, d.n) * (lse(d.n) - z(k, d.n)));
  hit(d.n) =
      Halide::select(Halide::argmax(z(k, d.n))[0] == Halide::argmax(in.targets(k, d.n))[0], 1, 0);
  p.lowered.add(sample_loss, Role::per_sample);
  p.lowered.add(hit, Role::per_sample);
  RDom sample(0, in.batch, "sample");
  p.loss = Func("loss");
  p.loss() = 0.0f;
  p.loss() += sample_loss(sample) * inv_batch;
  p.correct = Func("correct");
  p.correct() = 0;
  p.correct() += hit(sample);
  p.lowered.add(p.loss, Role::scalar);
  p.lowered.add(p.correct, Role::scalar);

  Func d_logits("d_logits");
  d_logits(d.c, d.n) = (Halide::exp(z(d.c, d.n) - lse(d.n)) * Halide::sum(in.targets(k, d.n)) -
                        in.targets(d.c, d.n)) *
                       inv_batch;
  p.lowered.add(d_logits, Role::pointwise_flat);

  // Backward, in reverse topological order, summing the gradients of nodes read twice.
  const std::vector<bool> needs = needs_gradient(m);
  std::vector<std::vector<Func>> upstream(m.nodes.size());
  upstream[static_cast<std::size_t>(m.output)].push_back(d_logits);
  for (int i = m.output; i > 0; --i) {
    const Node& node = m.nodes[static_cast<std::size_t>(i)];
    auto& contributions = upstream[static_cast<std::size_t>(i)];
    if (contributions.empty() || !needs[static_cast<std::size_t>(i)]) continue;
    Func d_out = contributions[0];
    if (contributions.size() > 1) {
      const std::vector<Var> a = args_of(node.output);
      Expr total = contributions[0](a);
      for (std::size_t c = 1; c < contributions.size(); ++c) total = total + contributions[c](a);
      d_out = Func(std::string(node.name.view()) + "_d_output");
      d_out(a) = total;
      p.lowered.add(d_out, pointwise(node.output));
    }
    Inputs inputs;
    std::vector<bool> wanted;
    for (int in_k = 0; in_k < node.input_count; ++in_k) {
      inputs.push_back(&fwd[static_cast<std::size_t>(node.input(in_k))]);
      wanted.push_back(needs[static_cast<std::size_t>(node.input(in_k))]);
    }
    const InputGrads grads = visit(node, [&](const auto& layer) {
      return backward(ctx, node, layer, inputs, fwd[static_cast<std::size_t>(i)],
                      Upstream{d_out, i == m.output}, wanted);
    });
    for (int in_k = 0; in_k < node.input_count; ++in_k)
      if (wanted[static_cast<std::size_t>(in_k)] && grads[static_cast<std::size_t>(in_k)].defined())
        upstream[static_cast<std::size_t>(node.input(in_k))].push_back(
            grads[static_cast<std::size_t>(in_k)]);
  }

  Func zeros("zeros"), unchanged("unchanged");
  Var i("i");
  zeros(i) = 0.0f;
  unchanged(i) = in.state(i);
  p.gradients = scatter_into_flat("gradients", zeros, table.slots, ctx.param_grads, false);
  p.new_state = scatter_into_flat("new_state", unchanged, table.slots, ctx.new_state, true);
  return p;
}

}  // namespace cnn::codegen
