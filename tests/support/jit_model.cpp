#include "tests/support/jit_model.hpp"

#include "codegen/lowering.hpp"
#include "codegen/schedule.hpp"

namespace cnn::tests {

using Halide::Buffer;

runtime::ModelInfo model_info(std::string name, const std::vector<Node>& nodes, int output) {
  runtime::ModelInfo info;
  info.name = std::move(name);
  info.nodes = nodes;
  info.output = output;
  info.table = parameter_table(info.nodes);
  return info;
}

JitModel::JitModel(const runtime::ModelInfo& info) : info_(info) {
  const codegen::ModelDescription m{info.name, info.nodes, info.output};
  const Halide::Target target = Halide::get_jit_target_from_environment();
  const Halide::Expr batch = images_.dim(3).extent();
  {
    codegen::InferencePipeline p = codegen::lower_inference(
        m, {images_, Halide::Func(), params_, state_, batch, Halide::Expr(), Halide::Expr(),
            Halide::Expr(), Halide::Func(), Halide::Func(), Halide::Func()});
    Halide::Var c("c"), n("n");
    Halide::Func probabilities("probabilities");
    probabilities(c, n) = p.probabilities(c, n);
    codegen::schedule_cpu(p.lowered, {probabilities}, target);
    inference_ = Halide::Pipeline(probabilities);
    inference_.compile_jit(target);
  }
  codegen::TrainingPipeline p =
      codegen::lower_training(m, {images_, targets_, params_, state_, batch, seed_, step_,
                                  first_sample_, Halide::Func(), Halide::Func(), Halide::Func()});
  codegen::schedule_cpu(p.lowered, {p.gradients, p.new_state}, target);
  p.loss.compute_root();
  p.correct.compute_root();
  training_ = Halide::Pipeline({p.gradients, p.new_state, p.loss, p.correct});
  training_.compile_jit(target);
}

namespace {
Buffer<float> images_of(const runtime::ModelInfo& m, const Batch& b) {
  const Shape s = m.input_shape();
  return Buffer<float>(const_cast<float*>(b.images.data()),
                       {s.channels, s.width, s.height, b.size});
}
Buffer<float> flat(std::span<const float> v) {
  return Buffer<float>(const_cast<float*>(v.data()), static_cast<int>(v.size()));
}
}  // namespace

std::vector<float> JitModel::infer(const runtime::Weights& w, const Batch& b) {
  std::vector<float> out(static_cast<std::size_t>(b.size) * info_.classes());
  images_.set(images_of(info_, b));
  params_.set(flat(w.params));
  state_.set(flat(w.state));
  Buffer<float> probabilities(out.data(), {info_.classes(), b.size});
  inference_.realize(probabilities);
  return out;
}

KernelStep JitModel::train(const runtime::Weights& w, const Batch& b, std::int32_t seed,
                           std::int32_t step) {
  KernelStep r;
  r.gradients.resize(w.params.size());
  r.new_state.resize(std::max<std::size_t>(w.state.size(), 1));
  images_.set(images_of(info_, b));
  targets_.set(Buffer<float>(const_cast<float*>(b.targets.data()), {info_.classes(), b.size}));
  params_.set(flat(w.params));
  // An empty state buffer still needs an element for the pipeline to bind.
  runtime::AlignedFloats state = w.state.empty() ? runtime::AlignedFloats{0.0f} : w.state;
  state_.set(flat(state));
  seed_.set(seed);
  step_.set(step);
  first_sample_.set(0);
  auto loss = Buffer<float>::make_scalar();
  auto correct = Buffer<std::int32_t>::make_scalar();
  Buffer<float> gradients(r.gradients.data(), static_cast<int>(r.gradients.size()));
  Buffer<float> new_state(r.new_state.data(), static_cast<int>(r.new_state.size()));
  training_.realize({gradients, new_state, loss, correct});
  r.new_state.resize(w.state.size());
  r.loss = loss();
  r.correct = correct();
  return r;
}

}  // namespace cnn::tests
