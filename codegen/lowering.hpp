// Lowering a model to Halide: the inference pipeline (images -> class probabilities) and the
// training step (images, targets -> loss, accuracy, parameter gradients, new moving
// statistics), both by walking the model's graph with the rules of rules.hpp.
#pragma once

#include <Halide.h>

#include "codegen/lowered.hpp"
#include "codegen/model_description.hpp"

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

}  // namespace cnn::codegen
