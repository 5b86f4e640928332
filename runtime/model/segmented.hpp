// A model built in segments (add_cnn_model SEGMENTS, dsl/segments.hpp): its pipelines, run
// in turn behind the one-pipeline signatures of ModelKernels, so that nothing else in the
// runtime knows. Boundaries are allocated per call.
//
// A training step runs each segment's forward pass in training mode up to the last segment,
// which computes the loss and its own backward pass; then each earlier segment's backward
// pass, which computes its forward pass again from the boundary it was given and the outputs
// its forward pass kept (Segment::kept: those of convolutions and dense layers; what is cheap
// to compute again, normalization, activations, pooling, is). Segments where nothing needs a
// gradient (a frozen base) run forward only and keep nothing.
#pragma once

#include <HalideRuntime.h>

#include <cstdint>
#include <vector>

#include "dsl/segments.hpp"

namespace cnn::runtime {

struct SegmentedKernels {
  // boundary (feature, n), params, state -> the next boundary (feature, n)
  using Inference = int (*)(halide_buffer_t* boundary, halide_buffer_t* params,
                            halide_buffer_t* state, halide_buffer_t* next);
  // ... in training mode -> the next boundary, the segment's new moving statistics, what it
  // keeps for its backward pass (feature, n)
  using Forward = int (*)(halide_buffer_t* boundary, halide_buffer_t* params,
                          halide_buffer_t* state, std::int32_t seed, std::int32_t step,
                          std::int32_t first_sample, halide_buffer_t* next,
                          halide_buffer_t* new_state, halide_buffer_t* kept);
  // boundary, kept, gradient of the next boundary, targets, ... -> gradient of the boundary,
  // the segment's parameter gradients; the last segment also its new state, the loss, the hits
  using Backward = int (*)(halide_buffer_t* boundary, halide_buffer_t* kept,
                           halide_buffer_t* d_next, halide_buffer_t* targets,
                           halide_buffer_t* params, halide_buffer_t* state, std::int32_t seed,
                           std::int32_t step, std::int32_t first_sample,
                           halide_buffer_t* d_boundary, halide_buffer_t* gradients,
                           halide_buffer_t* new_state, halide_buffer_t* loss,
                           halide_buffer_t* correct);

  std::vector<Node> nodes;
  int output = 0;
  std::vector<Segment> segments;
  std::vector<Inference> inference;  // one per segment
  std::vector<Forward> forward;      // all segments but the last
  std::vector<Backward> backward;    // one per segment; empty in an inference-only build

  SegmentedKernels(std::vector<Node> model_nodes, int model_output, std::vector<Inference> inf,
                   std::vector<Forward> fwd, std::vector<Backward> bwd);

  // The model's entry points (ModelKernels'). From segment `first` on, `images` is the
  // boundary before it, as dense images (features, 1, 1, n).
  int run_inference(halide_buffer_t* images, halide_buffer_t* params, halide_buffer_t* state,
                    halide_buffer_t* probabilities, int first = 0) const;
  int run_train_step(halide_buffer_t* images, halide_buffer_t* targets, halide_buffer_t* params,
                     halide_buffer_t* state, std::int32_t seed, std::int32_t step,
                     std::int32_t first_sample, halide_buffer_t* gradients,
                     halide_buffer_t* new_state, halide_buffer_t* loss, halide_buffer_t* correct,
                     int first = 0) const;

  // The frozen base (dsl/segments.hpp's frozen_base_end: frozen, nothing random, and cut
  // where it ends): its segments, 0 where the model has none, and the values per sample of its
  // output. A training step from segment frozen_base_segments() on, given that output, takes
  // the step the model takes from the images.
  int frozen_base_segments() const { return frozen_base_segments_; }
  long long frozen_base_features() const;
  // The base's output for `images` (features, n), as a training step computes it
  // (`training`: its forward pipelines) or as inference does.
  int run_frozen_base(halide_buffer_t* images, halide_buffer_t* params, halide_buffer_t* state,
                      halide_buffer_t* features, bool training) const;

 private:
  std::vector<bool> has_backward_;  // per segment: does any of its nodes need a gradient
  int frozen_base_segments_ = 0;
};

}  // namespace cnn::runtime
