// Schedules: how each role of lowered.hpp is computed on a target. Apart from the algorithm,
// so that either can change without reading the other.
#pragma once

#include <vector>

#include <Halide.h>

#include "codegen/lowered.hpp"

namespace cnn::codegen {

// Hand-written CPU schedule: reductions cut per layer, from its extents, into parallel tasks,
// register tiles vectorized over channels and, where the weights would not stay in cache,
// blocks of the reduction; elementwise work inlined into its consumers unless the algorithm
// marked it worth materializing or a reduction rereads it.
void schedule_cpu(const Lowered& lowered, const std::vector<Halide::Func>& outputs,
                  const Halide::Target& target);

// The same algorithm on a CUDA GPU: every materialized stage tiled over blocks and threads.
void schedule_cuda(const Lowered& lowered, const std::vector<Halide::Func>& outputs,
                   const Halide::Target& target);

}  // namespace cnn::codegen
