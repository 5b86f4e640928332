// Lowering a model to Halide: the inference pipeline (images -> class probabilities) and the
// training step (images, targets -> loss, accuracy, parameter gradients, new moving
// statistics), both by walking the model's graph with the rules of rules.hpp.
#pragma once

#include <Halide.h>

#include "codegen/lowered.hpp"
#include "codegen/model_description.hpp"
#include "dsl/segments.hpp"

namespace cnn::codegen {

struct PipelineInputs {
  Halide::Func images;   // (c, x, y, n)
  Halide::Func targets;  // (class, n): one-hot or any distribution; training only
  Halide::Func params;   // flat trainable parameters
  Halide::Func state;    // flat moving statistics
  Halide::Expr batch;    // samples in the batch
  Halide::Expr seed;     // training only
  Halide::Expr step;     // training only
  // Training only: where this batch starts in the global batch, so that a data-parallel
  // rank's samples draw the dropout masks and augmentations the single process would.
  Halide::Expr first_sample;
  // Segments only (dsl/segments.hpp): the values crossing the cut before the segment,
  // (feature, n), and the loss's gradient with respect to those crossing the cut after it.
  Halide::Func boundary;
  Halide::Func d_next;
  // Backward segments only: the outputs the forward pass kept (Segment::kept), (feature, n).
  Halide::Func kept;
};

struct InferencePipeline {
  Halide::Func probabilities;  // (class, n)
  Lowered lowered;
};

struct TrainingPipeline {
  Halide::Func gradients;  // flat, like params
  Halide::Func new_state;  // flat, like state
  Halide::Func loss;       // 0-d: mean cross-entropy of the batch
  Halide::Func correct;    // 0-d: samples whose arg-max matches the target's
  Lowered lowered;
};

InferencePipeline lower_inference(const ModelDescription& model, const PipelineInputs& in);
TrainingPipeline lower_training(const ModelDescription& model, const PipelineInputs& in);

// One segment of a model cut by segments_of(). The first segment reads in.images, the others
// in.boundary; each defines the values crossing the cut after it, (feature, n), the last one
// the class probabilities.
struct SegmentForward {
  Halide::Func next;       // (feature, n)
  Halide::Func new_state;  // training: the segment's moving statistics, the rest undefined
  Halide::Func kept;       // training: Segment::kept, (feature, n); a single zero if none
  Lowered lowered;
};
SegmentForward lower_inference_segment(const ModelDescription& model, const Segment& segment,
                                       const PipelineInputs& in);
SegmentForward lower_forward_segment(const ModelDescription& model, const Segment& segment,
                                     const PipelineInputs& in);

// The backward pass of one segment, its forward pass computed again from in.boundary and
// the outputs it kept, in.kept (the last segment's is the one it computes anyway, with the
// loss from in.targets). Defines the
// gradient with respect to in.boundary (zero where nothing needs one, a single zero for the
// first segment) and the gradients of the segment's parameters (the rest undefined).
struct SegmentBackward {
  Halide::Func d_boundary;  // (feature, n)
  Halide::Func gradients;
  Halide::Func new_state;  // the last segment: its moving statistics; others: undefined
  Halide::Func loss;       // the last segment: as TrainingPipeline's; others: 0
  Halide::Func correct;
  Lowered lowered;
};
SegmentBackward lower_backward_segment(const ModelDescription& model, const Segment& segment,
                                       const PipelineInputs& in);

}  // namespace cnn::codegen
