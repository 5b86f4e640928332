#include "codegen/lowering.hpp"

#include <algorithm>
#include <stdexcept>

#include "codegen/rules.hpp"

namespace cnn::codegen {

namespace {

// The forward rules of nodes [begin, end), reading the results already in `fwd`. A node's
// output found in `kept` is read from there by the nodes after it (and by its own backward
// rule), not computed.
void forward_range(Context& ctx, const ModelDescription& m, int begin, int end,
                   std::vector<NodeFuncs>& fwd, const std::map<int, Func>& kept = {}) {
  for (int i = begin; i < end; ++i) {
    const Node& node = m.nodes[static_cast<std::size_t>(i)];
    Inputs inputs;
    for (int k = 0; k < node.input_count; ++k)
      inputs.push_back(&fwd[static_cast<std::size_t>(node.input(k))]);
    auto& f = fwd[static_cast<std::size_t>(i)];
    f = visit(node, [&](const auto& layer) { return forward(ctx, node, layer, inputs); });
    if (auto it = kept.find(i); it != kept.end()) f.out = it->second;
  }
}

std::vector<NodeFuncs> forward_all(Context& ctx, const ModelDescription& m) {
  std::vector<NodeFuncs> fwd(m.nodes.size());
  forward_range(ctx, m, 0, static_cast<int>(m.nodes.size()), fwd);
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

// A flat Func (like `base`, or undefined where `base` is), with each tensor's slice
// overwritten by `values`.
Func scatter_into_flat(const std::string& name, Func base, const std::vector<TensorSlot>& slots,
                       const std::map<const TensorSlot*, Func>& values, bool state_buffer) {
  Var i("i");
  Func flat(name);
  flat(i) = base.defined() ? base(i) : Halide::undef<float>();
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

// Softmax cross-entropy from the logits, for stability: loss = lse(z) - sum_k t_k z_k.
struct LossHead {
  Func loss, correct, d_logits;
};
LossHead cross_entropy(const ModelDescription& m, const std::vector<NodeFuncs>& fwd,
                       const PipelineInputs& in, Lowered& lowered) {
  const Dims& d = dims();
  const int classes = m.nodes[static_cast<std::size_t>(m.output)].output.channels;
  Func z = final_logits(m, fwd);
  RDom k(0, classes, "class");
  Func peak("logit_max"), lse("log_sum_exp");
  peak(d.n) = Halide::maximum(z(k, d.n));
  lse(d.n) = peak(d.n) + Halide::log(Halide::sum(Halide::exp(z(k, d.n) - peak(d.n))));
  lowered.add(lse, Role::per_sample);
  Expr inv_batch = 1.0f / Halide::cast<float>(in.batch);
  Func sample_loss("sample_loss"), hit("hit");
  sample_loss(d.n) = Halide::sum(in.targets(k, d.n) * (lse(d.n) - z(k, d.n)));
  hit(d.n) =
      Halide::select(Halide::argmax(z(k, d.n))[0] == Halide::argmax(in.targets(k, d.n))[0], 1, 0);
  lowered.add(sample_loss, Role::per_sample);
  lowered.add(hit, Role::per_sample);
  RDom sample(0, in.batch, "sample");
  LossHead head;
  head.loss = Func("loss");
  head.loss() = 0.0f;
  head.loss() += sample_loss(sample) * inv_batch;
  head.correct = Func("correct");
  head.correct() = 0;
  head.correct() += hit(sample);
  lowered.add(head.loss, Role::scalar);
  lowered.add(head.correct, Role::scalar);

  head.d_logits = Func("d_logits");
  head.d_logits(d.c, d.n) = (Halide::exp(z(d.c, d.n) - lse(d.n)) * Halide::sum(in.targets(k, d.n)) -
                             in.targets(d.c, d.n)) *
                            inv_batch;
  lowered.add(head.d_logits, Role::pointwise_flat);
  return head;
}

// The sum of a node's gradient contributions (one Func when there is one).
Func sum_of(const std::vector<Func>& contributions, const Shape& shape, const std::string& name,
            Lowered& lowered) {
  if (contributions.size() == 1) return contributions[0];
  const std::vector<Var> a = args_of(shape);
  Expr total = contributions[0](a);
  for (std::size_t c = 1; c < contributions.size(); ++c) total = total + contributions[c](a);
  Func sum(name);
  sum(a) = total;
  lowered.add(sum, pointwise(shape));
  return sum;
}

// The backward rules of nodes [begin, end) in reverse order, from the gradients already in
// `upstream` (summed where a node is read twice), adding their inputs' gradients to it.
void backward_range(Context& ctx, const ModelDescription& m, const std::vector<NodeFuncs>& fwd,
                    int begin, int end, std::vector<std::vector<Func>>& upstream) {
  const std::vector<bool> needs = needs_gradient(m.nodes);
  for (int i = end - 1; i >= std::max(begin, 1); --i) {
    const Node& node = m.nodes[static_cast<std::size_t>(i)];
    auto& contributions = upstream[static_cast<std::size_t>(i)];
    if (contributions.empty() || !needs[static_cast<std::size_t>(i)]) continue;
    Func d_out = sum_of(contributions, node.output, std::string(node.name.view()) + "_d_output",
                        ctx.lowered);
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
    if (!node.trainable)  // frozen: its weights get no gradient (nor is one computed)
      std::erase_if(ctx.param_grads, [&](const auto& g) { return g.first->node == i; });
    for (int in_k = 0; in_k < node.input_count; ++in_k)
      if (wanted[static_cast<std::size_t>(in_k)] && grads[static_cast<std::size_t>(in_k)].defined())
        upstream[static_cast<std::size_t>(node.input(in_k))].push_back(
            grads[static_cast<std::size_t>(in_k)]);
  }
}

// ---- segments -------------------------------------------------------------------------

// The flat index of element `args` (c, x, y or c; Vars or RVars) of a tensor of `shape` at
// `offset` in a boundary vector.
template <class Arg>
Expr flat_index(const Shape& shape, long long offset, const std::vector<Arg>& args) {
  Expr index = static_cast<int>(offset) + args[0];
  if (shape.rank == 3) index = index + shape.channels * (args[1] + shape.width * args[2]);
  return index;
}

// Each tensor of `b`, read from the boundary vector Func `flat` (feature, n).
std::map<int, Func> unpack(const ModelDescription& m, const Boundary& b, Func flat,
                           const std::string& suffix) {
  std::map<int, Func> tensors;
  for (std::size_t t = 0; t < b.nodes.size(); ++t) {
    const Node& node = m.nodes[static_cast<std::size_t>(b.nodes[t])];
    const std::vector<Var> a = args_of(node.output);
    Func f(std::string(node.name.view()) + suffix);
    f(a) = flat(flat_index(node.output, b.offsets[t], a), a.back());
    tensors[b.nodes[t]] = f;
  }
  return tensors;
}

// The boundary vector (feature, n) of the tensors of `b`, each given by `tensor(node)`.
template <class TensorOf>
Func pack(const ModelDescription& m, const Boundary& b, const std::string& name, Lowered& lowered,
          TensorOf tensor) {
  const Dims& d = dims();
  Var f("f");
  Expr value = 0.0f;
  for (std::size_t t = 0; t < b.nodes.size(); ++t) {
    const Node& node = m.nodes[static_cast<std::size_t>(b.nodes[t])];
    const Shape& shape = node.output;
    // Clamped, so that bounds inference asks each tensor only for its own extent.
    Expr e = Halide::clamp(f - static_cast<int>(b.offsets[t]), 0,
                           static_cast<int>(shape.elements()) - 1);
    // Staged in a buffer of its own: read through the flat index's divisions, whose bounds
    // Halide cannot narrow, an unstaged source (a pooling's gradient) would be computed over
    // a whole row for every vector of the boundary.
    const std::vector<Var> a = args_of(shape);
    Func source(name + "_" + std::string(node.name.view()));
    source(a) = tensor(b.nodes[t])(a);
    lowered.add(source, pointwise(shape));
    Expr element = shape.rank == 3 ? source(e % shape.channels, (e / shape.channels) % shape.width,
                                            e / (shape.channels * shape.width), d.n)
                                   : source(e, d.n);
    value = t == 0 ? element : Halide::select(f < static_cast<int>(b.offsets[t]), value, element);
  }
  Func packed(name);
  packed(f, d.n) = value;
  return packed;
}

// A boundary vector of zeros: (feature, n).
Func zero_boundary(const std::string& name) {
  Var f("f");
  Func zero(name);
  zero(f, dims().n) = 0.0f;
  return zero;
}

// The vector (feature, n) of the tensors of `b`, each written by an update of its own: for
// many tensors, where pack's selects would read every tensor for every value. A single zero
// where `b` is empty.
Func pack_by_slices(const ModelDescription& m, const Boundary& b, const std::string& name,
                    const std::vector<NodeFuncs>& fwd) {
  if (b.nodes.empty()) return zero_boundary(name);
  const Dims& d = dims();
  Var f("f");
  Func packed(name);
  packed(f, d.n) = Halide::undef<float>();
  for (std::size_t t = 0; t < b.nodes.size(); ++t) {
    const Node& node = m.nodes[static_cast<std::size_t>(b.nodes[t])];
    const Shape& shape = node.output;
    Halide::Region box{{0, shape.channels}};
    if (shape.rank == 3) box.insert(box.end(), {{0, shape.width}, {0, shape.height}});
    RDom r(box, name + "_" + std::string(node.name.view()));
    std::vector<Expr> args;
    for (int k = 0; k < r.dimensions(); ++k) args.push_back(r[k]);
    const Expr index = flat_index(shape, b.offsets[t], args);
    args.push_back(d.n);
    packed(index, d.n) = fwd[static_cast<std::size_t>(b.nodes[t])].out(args);
  }
  return packed;
}

// A segment's loss and hits where another segment computes them: 0.
void without_loss(SegmentBackward& p) {
  p.loss = Func("loss");
  p.loss() = 0.0f;
  p.correct = Func("correct");
  p.correct() = 0;
}

Context context_for(const ModelDescription& m, const ParameterTable& table,
                    const PipelineInputs& in, bool training, Lowered& lowered) {
  return Context{m.nodes,
                 in.images,
                 table,
                 in.params,
                 in.state,
                 in.batch,
                 training ? in.seed : Expr(0),
                 training ? in.step : Expr(0),
                 training ? in.first_sample : Expr(0),
                 training,
                 lowered,
                 {},
                 {}};
}

// The segment's forward pass: its boundary's tensors unpacked, then its own nodes (those in
// `kept` read from there).
std::vector<NodeFuncs> forward_segment(Context& ctx, const ModelDescription& m, const Segment& s,
                                       const PipelineInputs& in,
                                       const std::map<int, Func>& kept = {}) {
  std::vector<NodeFuncs> fwd(m.nodes.size());
  for (auto& [node, f] : unpack(m, s.in, in.boundary, "_in"))
    fwd[static_cast<std::size_t>(node)].out = f;
  forward_range(ctx, m, s.begin, s.end, fwd, kept);
  return fwd;
}

SegmentForward lower_segment_forward(const ModelDescription& m, const Segment& s,
                                     const PipelineInputs& in, bool training) {
  check_supported(m);
  SegmentForward p;
  const ParameterTable table = parameter_table(m.nodes);
  Context ctx = context_for(m, table, in, training, p.lowered);
  const std::vector<NodeFuncs> fwd = forward_segment(ctx, m, s, in);
  if (s.end == m.output + 1) final_logits(m, fwd);  // the same check as training
  p.next = pack(m, s.out, "next", p.lowered,
                [&](int node) { return fwd[static_cast<std::size_t>(node)].out; });
  if (training) {
    p.new_state = scatter_into_flat("new_state", Func(), table.slots, ctx.new_state, true);
    p.kept = pack_by_slices(m, s.kept, "kept", fwd);
  }
  return p;
}

}  // namespace

InferencePipeline lower_inference(const ModelDescription& m, const PipelineInputs& in) {
  check_supported(m);
  InferencePipeline p;
  const ParameterTable table = parameter_table(m.nodes);
  Context ctx = context_for(m, table, in, false, p.lowered);
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
  Context ctx = context_for(m, table, in, true, p.lowered);
  std::vector<NodeFuncs> fwd = forward_all(ctx, m);
  const LossHead head = cross_entropy(m, fwd, in, p.lowered);
  p.loss = head.loss;
  p.correct = head.correct;

  std::vector<std::vector<Func>> upstream(m.nodes.size());
  upstream[static_cast<std::size_t>(m.output)].push_back(head.d_logits);
  backward_range(ctx, m, fwd, 0, m.output + 1, upstream);

  Func zeros("zeros"), unchanged("unchanged");
  Var i("i");
  zeros(i) = 0.0f;
  unchanged(i) = in.state(i);
  p.gradients = scatter_into_flat("gradients", zeros, table.slots, ctx.param_grads, false);
  p.new_state = scatter_into_flat("new_state", unchanged, table.slots, ctx.new_state, true);
  return p;
}

SegmentForward lower_inference_segment(const ModelDescription& m, const Segment& s,
                                       const PipelineInputs& in) {
  return lower_segment_forward(m, s, in, false);
}

SegmentForward lower_forward_segment(const ModelDescription& m, const Segment& s,
                                     const PipelineInputs& in) {
  return lower_segment_forward(m, s, in, true);
}

SegmentBackward lower_backward_segment(const ModelDescription& m, const Segment& s,
                                       const PipelineInputs& in) {
  check_supported(m);
  SegmentBackward p;
  const ParameterTable table = parameter_table(m.nodes);
  const bool last = s.end == m.output + 1;
  if (!last && !needs_backward(s, needs_gradient(m.nodes))) {
    // Below every layer that learns (a frozen base): never run (runtime/model/segmented.cpp),
    // so a pipeline that costs nothing to generate.
    p.d_boundary = zero_boundary("d_boundary");
    p.gradients = scatter_into_flat("gradients", Func(), {}, {}, false);
    p.new_state = scatter_into_flat("new_state", Func(), {}, {}, true);
    without_loss(p);
    return p;
  }
  Context ctx = context_for(m, table, in, true, p.lowered);
  const std::vector<NodeFuncs> fwd =
      forward_segment(ctx, m, s, in, unpack(m, s.kept, in.kept, "_kept"));

  std::vector<std::vector<Func>> upstream(m.nodes.size());
  if (last) {
    const LossHead head = cross_entropy(m, fwd, in, p.lowered);
    p.loss = head.loss;
    p.correct = head.correct;
    upstream[static_cast<std::size_t>(m.output)].push_back(head.d_logits);
  } else {
    without_loss(p);
    for (auto& [node, f] : unpack(m, s.out, in.d_next, "_d_next"))
      upstream[static_cast<std::size_t>(node)].push_back(f);
  }
  backward_range(ctx, m, fwd, s.begin, s.end, upstream);

  if (s.begin == 0) {
    p.d_boundary = zero_boundary("d_boundary");  // nothing below the images
  } else {
    p.d_boundary = pack(m, s.in, "d_boundary", p.lowered, [&](int node) {
      const Node& n = m.nodes[static_cast<std::size_t>(node)];
      const std::string name(n.name.view());
      const auto& contributions = upstream[static_cast<std::size_t>(node)];
      if (!contributions.empty()) return sum_of(contributions, n.output, name + "_d_in", p.lowered);
      Func zero(name + "_d_none");  // nothing below it learns
      zero(args_of(n.output)) = 0.0f;
      return zero;
    });
  }
  p.gradients = scatter_into_flat("gradients", Func(), table.slots, ctx.param_grads, false);
  p.new_state = last ? scatter_into_flat("new_state", Func(), table.slots, ctx.new_state, true)
                     : scatter_into_flat("new_state", Func(), {}, {}, true);
  return p;
}

}  // namespace cnn::codegen
