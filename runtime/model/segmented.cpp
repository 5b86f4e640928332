#include "runtime/model/segmented.hpp"

#include <HalideBuffer.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace cnn::runtime {

namespace {

using Halide::Runtime::Buffer;

// A (feature, n) buffer of `features` values per sample.
Buffer<float> boundary_buffer(long long features, int samples) {
  return Buffer<float>(static_cast<int>(features), samples);
}

// The images (c, x, y, n), dense, seen as the first segment's boundary (c * x * y, n).
bool as_boundary(halide_buffer_t* images, Buffer<float>& view) {
  if (images->dimensions != 4) return false;
  const halide_dimension_t* d = images->dim;
  long long features = 1;
  for (int k = 0; k < 3; ++k) {
    if (d[k].stride != features) return false;
    features *= d[k].extent;
  }
  halide_dimension_t shape[2] = {{0, static_cast<int>(features), 1, 0},
                                 {0, d[3].extent, d[3].stride, 0}};
  view = Buffer<float>(reinterpret_cast<float*>(images->host), 2, shape);
  return true;
}

int refuse_images(const char* kernel) {
  halide_error(nullptr, (std::string(kernel) +
                         ": the images must be dense (c, x, y, n), channels innermost\n")
                            .c_str());
  return -1;
}

}  // namespace

SegmentedKernels::SegmentedKernels(std::vector<Node> model_nodes, int model_output,
                                   std::vector<Inference> inf, std::vector<Forward> fwd,
                                   std::vector<Backward> bwd)
    : nodes(std::move(model_nodes)),
      output(model_output),
      segments(segments_of(nodes, output, static_cast<int>(inf.size()))),
      inference(std::move(inf)),
      forward(std::move(fwd)),
      backward(std::move(bwd)) {
  const std::vector<bool> needs = needs_gradient(nodes);
  for (const Segment& s : segments) has_backward_.push_back(needs_backward(s, needs));
  const int base = frozen_base_end(nodes);
  for (std::size_t k = 1; k < segments.size() && base > 0; ++k)
    if (segments[k].begin == base) frozen_base_segments_ = static_cast<int>(k);
}

long long SegmentedKernels::frozen_base_features() const {
  return frozen_base_segments_ > 0
             ? segments[static_cast<std::size_t>(frozen_base_segments_)].in.elements_per_sample
             : 0;
}

int SegmentedKernels::run_inference(halide_buffer_t* images, halide_buffer_t* params,
                                    halide_buffer_t* state, halide_buffer_t* probabilities,
                                    int first) const {
  Buffer<float> current;
  if (!as_boundary(images, current)) return refuse_images("inference");
  const int samples = current.dim(1).extent();
  for (auto k = static_cast<std::size_t>(first); k < segments.size(); ++k) {
    if (k + 1 == segments.size())
      return inference[k](current.raw_buffer(), params, state, probabilities);
    Buffer<float> next = boundary_buffer(segments[k].out.elements_per_sample, samples);
    if (int status = inference[k](current.raw_buffer(), params, state, next.raw_buffer()))
      return status;
    current = std::move(next);
  }
  return 0;
}

int SegmentedKernels::run_frozen_base(halide_buffer_t* images, halide_buffer_t* params,
                                      halide_buffer_t* state, halide_buffer_t* features,
                                      bool training) const {
  Buffer<float> current;
  if (!as_boundary(images, current)) return refuse_images("frozen base");
  const int samples = current.dim(1).extent();
  // Frozen, the base's segments change no state and keep nothing: scratch buffers for both.
  Buffer<float> scratch_state(state->dim[0].extent);
  Buffer<float> no_kept = boundary_buffer(1, samples);
  for (int k = 0; k < frozen_base_segments_; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    const bool last = k + 1 == frozen_base_segments_;
    Buffer<float> next =
        last ? Buffer<float>() : boundary_buffer(segments[uk].out.elements_per_sample, samples);
    halide_buffer_t* out = last ? features : next.raw_buffer();
    if (int status = training ? forward[uk](current.raw_buffer(), params, state, 0, 0, 0, out,
                                            scratch_state.raw_buffer(), no_kept.raw_buffer())
                              : inference[uk](current.raw_buffer(), params, state, out))
      return status;
    if (!last) current = std::move(next);
  }
  return 0;
}

int SegmentedKernels::run_train_step(halide_buffer_t* images, halide_buffer_t* targets,
                                     halide_buffer_t* params, halide_buffer_t* state,
                                     std::int32_t seed, std::int32_t step,
                                     std::int32_t first_sample, halide_buffer_t* gradients,
                                     halide_buffer_t* new_state, halide_buffer_t* loss,
                                     halide_buffer_t* correct, int first) const {
  Buffer<float> images_view;
  if (!as_boundary(images, images_view)) return refuse_images("train_step");
  const int samples = images_view.dim(1).extent();
  const auto begin = static_cast<std::size_t>(first);
  // The segments write only their own slots: what no segment writes keeps its value (the
  // state) or is zero (the gradients of what nothing reaches).
  std::memcpy(new_state->host, state->host, state->size_in_bytes());
  std::memset(gradients->host, 0, gradients->size_in_bytes());

  // Forward: the boundaries at every cut and what each segment keeps, for the backward passes
  // (a single value per sample where a segment keeps nothing).
  std::vector<Buffer<float>> boundaries(segments.size()), kept(segments.size());
  boundaries[begin] = images_view;
  for (std::size_t k = begin; k < segments.size(); ++k)
    kept[k] = boundary_buffer(std::max(1LL, segments[k].kept.elements_per_sample), samples);
  for (std::size_t k = begin; k + 1 < segments.size(); ++k) {
    boundaries[k + 1] = boundary_buffer(segments[k].out.elements_per_sample, samples);
    if (int status = forward[k](boundaries[k].raw_buffer(), params, state, seed, step, first_sample,
                                boundaries[k + 1].raw_buffer(), new_state, kept[k].raw_buffer()))
      return status;
  }

  // Backward, from the loss down to the lowest segment with anything to learn.
  Buffer<float> d_next = boundary_buffer(1, samples);  // unread by the last segment
  for (std::size_t k = segments.size(); k-- > begin;) {
    const bool last = k + 1 == segments.size();
    if (!last && !has_backward_[k]) break;  // nor has any segment below it
    const long long in_features = k == 0 ? 1 : segments[k].in.elements_per_sample;
    Buffer<float> d_boundary = boundary_buffer(in_features, samples);
    Buffer<float> unused_loss = Buffer<float>::make_scalar();
    Buffer<std::int32_t> unused_correct = Buffer<std::int32_t>::make_scalar();
    if (int status = backward[k](
            boundaries[k].raw_buffer(), kept[k].raw_buffer(), d_next.raw_buffer(), targets, params,
            state, seed, step, first_sample, d_boundary.raw_buffer(), gradients, new_state,
            last ? loss : unused_loss.raw_buffer(), last ? correct : unused_correct.raw_buffer()))
      return status;
    d_next = std::move(d_boundary);
  }
  return 0;
}

}  // namespace cnn::runtime
