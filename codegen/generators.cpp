// The Halide generators a model is built with. The model itself comes from
// model_to_lower(), which each model's generator executable defines (see AddCnnModel.cmake).
#include <Halide.h>

#include <algorithm>

#include "codegen/lowering.hpp"
#include "codegen/schedule.hpp"
#include "dsl/parameters.hpp"

namespace cnn::codegen {

namespace {

// The flat buffers' extents: the parameters, and the moving statistics (one value where the
// model has none).
int params_extent(const ModelDescription& m) {
  return static_cast<int>(parameter_table(m.nodes).params_size);
}
int state_extent(const ModelDescription& m) {
  return static_cast<int>(std::max<long long>(parameter_table(m.nodes).state_size, 1));
}

// Fixes the extents of two flat buffers: one like the parameters (params, gradients) and one
// like the moving statistics (state, new state).
template <class ParamsLike, class StateLike>
void constrain_flat(const ModelDescription& m, ParamsLike& params, StateLike& state) {
  const int params_size = params_extent(m), state_size = state_extent(m);
  params.dim(0).set_bounds(0, params_size);
  state.dim(0).set_bounds(0, state_size);
  params.set_estimates({{0, params_size}});
  state.set_estimates({{0, state_size}});
}

// Fixes the shapes the kernels accept, so that a wrong buffer fails Halide's checks instead
// of reading out of bounds, and gives the compiler constant extents to schedule with.
template <class ImagesInput, class ParamsInput, class StateInput>
void constrain_inputs(const ModelDescription& m, ImagesInput& images, ParamsInput& params,
                      StateInput& state) {
  const Shape in = m.nodes[0].output;
  images.dim(0)
      .set_bounds(0, in.channels)
      .dim(1)
      .set_bounds(0, in.width)
      .dim(2)
      .set_bounds(0, in.height);
  images.dim(1).set_stride(in.channels).dim(2).set_stride(in.channels * in.width);
  images.set_estimates({{0, in.channels}, {0, in.width}, {0, in.height}, {0, 128}});
  constrain_flat(m, params, state);
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
    InferencePipeline p =
        lower_inference(m, {images, Halide::Func(), params, state, images.dim(3).extent(), Expr(),
                            Expr(), Expr(), Halide::Func(), Halide::Func(), Halide::Func()});
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
    TrainingPipeline p =
        lower_training(m, {images, targets, params, state, images.dim(3).extent(), seed, step,
                           first_sample, Halide::Func(), Halide::Func(), Halide::Func()});
    gradients = p.gradients;
    new_state = p.new_state;
    loss() = p.loss();
    correct() = p.correct();
    gradients.dim(0).set_bounds(0, params_extent(m));
    gradients.set_estimates({{0, params_extent(m)}});
    new_state.set_estimates({{0, state_extent(m)}});
    if (!auto_schedule) {
      schedule_for(get_target(), p.lowered, {p.gradients, p.new_state});
      p.loss.compute_root();
      p.correct.compute_root();
    }
  }
};

// ---- a model in segments (dsl/segments.hpp): one pipeline per segment and kind ------------

namespace {

// The segment a generator lowers, and the input of the first (the images) or of the others
// (the boundary vector), as 4-d images for the Input layer's rule.
struct SegmentOf {
  const ModelDescription& m;
  Segment segment;
  int in_elements;  // per sample

  SegmentOf(int index, int count)
      : m(model_to_lower()),
        segment(segments_of(m.nodes, m.output, count).at(static_cast<std::size_t>(index))) {
    in_elements = segment.begin == 0 ? static_cast<int>(m.nodes[0].output.elements())
                                     : static_cast<int>(segment.in.elements_per_sample);
  }
  int out_elements() const { return static_cast<int>(segment.out.elements_per_sample); }
  // Segment::kept's values per sample; one (a single zero) where it keeps none.
  int kept_elements() const {
    return std::max(1, static_cast<int>(segment.kept.elements_per_sample));
  }
  bool last() const { return segment.end == m.output + 1; }

  // The pipeline's inputs; the random draws' (seed, step, first sample) in training only.
  template <class BoundaryInput>
  PipelineInputs inputs(BoundaryInput& boundary, Halide::Func params, Halide::Func state,
                        Halide::Expr seed = {}, Halide::Expr step = {},
                        Halide::Expr first_sample = {}) const {
    boundary.dim(0).set_bounds(0, in_elements);
    boundary.set_estimates({{0, in_elements}, {0, 128}});
    PipelineInputs in;
    in.params = params;
    in.state = state;
    in.boundary = boundary;
    in.batch = boundary.dim(1).extent();
    in.seed = seed;
    in.step = step;
    in.first_sample = first_sample;
    if (segment.begin == 0) {
      const Shape s = m.nodes[0].output;
      Halide::Var c("c"), x("x"), y("y"), n("n");
      Halide::Func images("images");
      images(c, x, y, n) = boundary(c + s.channels * (x + s.width * y), n);
      in.images = images;
    }
    return in;
  }
};

}  // namespace

class InferenceSegmentGenerator : public Halide::Generator<InferenceSegmentGenerator> {
 public:
  GeneratorParam<int> segment{"segment", 0};
  GeneratorParam<int> segments{"segments", 1};
  Input<Buffer<float>> boundary{"boundary", 2};  // (feature, n): the images for the first
  Input<Buffer<float>> params{"params", 1};
  Input<Buffer<float>> state{"state", 1};
  Output<Buffer<float>> next{"next", 2};  // (feature, n): the probabilities for the last

  void generate() {
    const SegmentOf s(segment, segments);
    constrain_flat(s.m, params, state);
    const PipelineInputs in = s.inputs(boundary, params, state);
    SegmentForward p = lower_inference_segment(s.m, s.segment, in);
    Var f("f"), n("n");
    next(f, n) = p.next(f, n);
    next.dim(0).set_bounds(0, s.out_elements());
    next.set_estimates({{0, s.out_elements()}, {0, 128}});
    if (!auto_schedule) schedule_for(get_target(), p.lowered, {next});
  }
};

class ForwardSegmentGenerator : public Halide::Generator<ForwardSegmentGenerator> {
 public:
  GeneratorParam<int> segment{"segment", 0};
  GeneratorParam<int> segments{"segments", 1};
  Input<Buffer<float>> boundary{"boundary", 2};
  Input<Buffer<float>> params{"params", 1};
  Input<Buffer<float>> state{"state", 1};
  Input<int32_t> seed{"seed"};
  Input<int32_t> step{"step"};
  Input<int32_t> first_sample{"first_sample"};
  Output<Buffer<float>> next{"next", 2};
  Output<Buffer<float>> new_state{"new_state", 1};  // the segment's slots; the rest untouched
  Output<Buffer<float>> kept{"kept", 2};            // (feature, n): for the segment's backward pass

  void generate() {
    const SegmentOf s(segment, segments);
    constrain_flat(s.m, params, state);
    const PipelineInputs in = s.inputs(boundary, params, state, seed, step, first_sample);
    SegmentForward p = lower_forward_segment(s.m, s.segment, in);
    next = p.next;
    new_state = p.new_state;
    kept = p.kept;
    next.dim(0).set_bounds(0, s.out_elements());
    next.set_estimates({{0, s.out_elements()}, {0, 128}});
    new_state.dim(0).set_bounds(0, state_extent(s.m));
    new_state.set_estimates({{0, state_extent(s.m)}});
    kept.dim(0).set_bounds(0, s.kept_elements());
    kept.set_estimates({{0, s.kept_elements()}, {0, 128}});
    if (!auto_schedule) schedule_for(get_target(), p.lowered, {p.next, p.new_state, p.kept});
  }
};

class BackwardSegmentGenerator : public Halide::Generator<BackwardSegmentGenerator> {
 public:
  GeneratorParam<int> segment{"segment", 0};
  GeneratorParam<int> segments{"segments", 1};
  Input<Buffer<float>> boundary{"boundary", 2};
  Input<Buffer<float>> kept{"kept", 2};        // the forward pass's; unread by the last segment
  Input<Buffer<float>> d_next{"d_next", 2};    // (feature, n); unread by the last segment
  Input<Buffer<float>> targets{"targets", 2};  // (class, n); read by the last segment only
  Input<Buffer<float>> params{"params", 1};
  Input<Buffer<float>> state{"state", 1};
  Input<int32_t> seed{"seed"};
  Input<int32_t> step{"step"};
  Input<int32_t> first_sample{"first_sample"};
  Output<Buffer<float>> d_boundary{"d_boundary", 2};  // (feature, n); (1, n) for the first
  Output<Buffer<float>> gradients{"gradients", 1};    // the segment's slots; the rest untouched
  Output<Buffer<float>> new_state{"new_state", 1};    // the last segment's slots
  Output<Buffer<float>> loss{"loss", 0};              // the last segment's; others 0
  Output<Buffer<int32_t>> correct{"correct", 0};

  void generate() {
    const SegmentOf s(segment, segments);
    constrain_flat(s.m, params, state);
    PipelineInputs in = s.inputs(boundary, params, state, seed, step, first_sample);
    in.targets = targets;
    in.d_next = d_next;
    in.kept = kept;
    kept.dim(0).set_bounds(0, s.kept_elements());
    kept.set_estimates({{0, s.kept_elements()}, {0, 128}});
    if (s.last()) {
      targets.dim(0).set_bounds(0, s.m.nodes[static_cast<std::size_t>(s.m.output)].output.channels);
    } else {
      d_next.dim(0).set_bounds(0, s.out_elements());
    }
    d_next.set_estimates({{0, s.out_elements()}, {0, 128}});
    targets.set_estimates(
        {{0, s.m.nodes[static_cast<std::size_t>(s.m.output)].output.channels}, {0, 128}});
    seed.set_estimate(0);
    step.set_estimate(0);
    first_sample.set_estimate(0);
    SegmentBackward p = lower_backward_segment(s.m, s.segment, in);
    d_boundary = p.d_boundary;
    gradients = p.gradients;
    new_state = p.new_state;
    loss() = p.loss();
    correct() = p.correct();
    const int first_extent = s.segment.begin == 0 ? 1 : s.in_elements;
    d_boundary.dim(0).set_bounds(0, first_extent);
    d_boundary.set_estimates({{0, first_extent}, {0, 128}});
    constrain_flat(s.m, gradients, new_state);
    if (!auto_schedule) {
      schedule_for(get_target(), p.lowered, {p.d_boundary, p.gradients, p.new_state});
      p.loss.compute_root();
      p.correct.compute_root();
    }
  }
};

}  // namespace cnn::codegen

HALIDE_REGISTER_GENERATOR(cnn::codegen::InferenceGenerator, cnn_inference)
HALIDE_REGISTER_GENERATOR(cnn::codegen::TrainStepGenerator, cnn_train_step)
HALIDE_REGISTER_GENERATOR(cnn::codegen::InferenceSegmentGenerator, cnn_inference_segment)
HALIDE_REGISTER_GENERATOR(cnn::codegen::ForwardSegmentGenerator, cnn_forward_segment)
HALIDE_REGISTER_GENERATOR(cnn::codegen::BackwardSegmentGenerator, cnn_backward_segment)
