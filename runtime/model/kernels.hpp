// The generated kernels a trainer calls, as plain function pointers (Halide's C ABI).
#pragma once

#include <HalideRuntime.h>

#include <cstdint>

namespace cnn::runtime {

struct SegmentedKernels;

struct ModelKernels {
  // images (c, x, y, n), params, state -> probabilities (class, n)
  int (*inference)(halide_buffer_t* images, halide_buffer_t* params, halide_buffer_t* state,
                   halide_buffer_t* probabilities);
  // Null in a build of inference kernels only (add_cnn_model INFERENCE_ONLY).
  // images, targets (class, n), params, state, seed, step, first sample (where the batch
  // starts in the global batch of data-parallel training; 0 in one process)
  //   -> gradients, new state, loss, correct
  int (*train_step)(halide_buffer_t* images, halide_buffer_t* targets, halide_buffer_t* params,
                    halide_buffer_t* state, std::int32_t seed, std::int32_t step,
                    std::int32_t first_sample, halide_buffer_t* gradients,
                    halide_buffer_t* new_state, halide_buffer_t* loss, halide_buffer_t* correct);
  // A model in segments (add_cnn_model SEGMENTS): its segments, through which a trainer
  // computes a frozen base's output once (runtime/model/segmented.hpp); null otherwise.
  const SegmentedKernels* segments = nullptr;
};

}  // namespace cnn::runtime
