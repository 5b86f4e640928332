// The Halide generators a model is built with. The model itself comes from
// model_to_lower(), which each model's generator executable defines (see AddCnnModel.cmake).
#include <Halide.h>

#include "codegen/lowering.hpp"
#include "codegen/schedule.hpp"
#include "dsl/parameters.hpp"

namespace cnn::codegen {

namespace {

// Fixes the shapes the kernels accept, so that a wrong buffer fails Halide's checks instead
// of reading out of bounds, and gives the compiler constant extents to schedule with.
template <class ImagesInput, class ParamsInput, class StateInput>
void constrain_inputs(const ModelDescription& m, ImagesInput& images, ParamsInput& params,
                      StateInput& state) {
  const ParameterTable table = parameter_table(m.nodes);
  const Shape in = m.nodes[0].output;
  images.dim(0)
      .set_bounds(0, in.channels)
      .dim(1)
      .set_bounds(0, in.width)
      .dim(2)
      .set_bounds(0, in.height);
  images.dim(1).set_stride(in.channels).dim(2).set_stride(in.channels * in.width);
  params.dim(0).set_bounds(0, static_cast<int>(table.params_size));
  state.dim(0).set_bounds(0, static_cast<int>(std::max<long long>(table.state_size, 1)));
  images.set_estimates({{0, in.channels}, {0, in.width}, {0, in.height}, {0, 128}});
  params.set_estimates({{0, static_cast<int>(table.params_size)}});
  state.set_estimates({{0, static_cast<int>(std::max<long long>(table.state_size, 1))}});
}

void schedule_for(const Halide::Target& target, const Lowered& lowered,
                  const std::vector<Halide::Func>& outputs) {
  if (target.has_gpu_feature())
    schedule_cuda(lowered, outputs, target);
  else
    schedule_cpu(lowered, outputs, target);
}

}  // namespace

class InferenceGenerator : public Halide::Generator<InferenceGenerator> {
 public:
  Input<Buffer<float>> images{"images", 4};  // (c, x, y, n): NHWC in memory
  Input<Buffer<float>> params{"params", 1};
  Input<Buffer<float>> state{"state", 1};
  Output<Buffer<float>> probabilities{"probabilities", 2};  // (class, n)

  void generate() {
    const ModelDescription& m = model_to_lower();
    constrain_inputs(m, images, params, state);
    InferencePipeline p = lower_inference(
        m, {images, Halide::Func(), params, state, images.dim(3).extent(), Expr(), Expr(), Expr()});
    Var c("c"), n("n");
    probabilities(c, n) = p.probabilities(c, n);
    probabilities.set_estimates(
        {{0, m.nodes[static_cast<std::size_t>(m.output)].output.channels}, {0, 128}});
    if (!auto_schedule) schedule_for(get_target(), p.lowered, {probabilities});
  }
};

class TrainStepGenerator : public Halide::Generator<TrainStepGenerator> {
 public:
  Input<Buffer<float>> images{"images", 4};
  Input<Buffer<float>> targets{"targets", 2};  // (class, n)
  Input<Buffer<float>> params{"params", 1};
  Input<Buffer<float>> state{"state", 1};
  Input<int32_t> seed{"seed"};
  Input<int32_t> step{"step"};
  Input<int32_t> first_sample{"first_sample"};  // of this batch, in the global batch
  Output<Buffer<float>> gradients{"gradients", 1};
  Output<Buffer<float>> new_state{"new_state", 1};
  Output<Buffer<float>> loss{"loss", 0};
  Output<Buffer<int32_t>> correct{"correct", 0};

  void generate() {
    const ModelDescription& m = model_to_lower();
    constrain_inputs(m, images, params, state);
    const int classes = m.nodes[static_cast<std::size_t>(m.output)].output.channels;
    targets.dim(0).set_bounds(0, classes);
    targets.set_estimates({{0, classes}, {0, 128}});
    seed.set_estimate(0);  // estimates, for Halide's autoschedulers (bench/autoschedulers.sh)
    step.set_estimate(0);
    first_sample.set_estimate(0);
    TrainingPipeline p = lower_training(
        m, {images, targets, params, state, images.dim(3).extent(), seed, step, first_sample});
    gradients = p.gradients;
    new_state = p.new_state;
    loss() = p.loss();
    correct() = p.correct();
    const ParameterTable table = parameter_table(m.nodes);
    gradients.dim(0).set_bounds(0, static_cast<int>(table.params_size));
    gradients.set_estimates({{0, static_cast<int>(table.params_size)}});
    new_state.set_estimates({{0, static_cast<int>(std::max<long long>(table.state_size, 1))}});
    if (!auto_schedule) {
      schedule_for(get_target(), p.lowered, {p.gradients, p.new_state});
      p.loss.compute_root();
      p.correct.compute_root();
    }
  }
};

}  // namespace cnn::codegen

HALIDE_REGISTER_GENERATOR(cnn::codegen::InferenceGenerator, cnn_inference)
HALIDE_REGISTER_GENERATOR(cnn::codegen::TrainStepGenerator, cnn_train_step)
