// A model lowered and compiled in-process (Halide's JIT) with the CPU schedule the trainers
// use, for the per-layer tests: no generator run per model, so a test can build its
// models at run time.
#pragma once

#include <Halide.h>

#include <string>

#include "codegen/model_description.hpp"
#include "runtime/model/model_info.hpp"
#include "runtime/model/weights.hpp"
#include "tests/support/kernel_harness.hpp"

namespace cnn::tests {

class JitModel {
 public:
  explicit JitModel(const runtime::ModelInfo& info);
  std::vector<float> infer(const runtime::Weights& w, const Batch& b);
  KernelStep train(const runtime::Weights& w, const Batch& b, std::int32_t seed, std::int32_t step);

 private:
  runtime::ModelInfo info_;
  Halide::ImageParam images_{Halide::Float(32), 4, "images"};
  Halide::ImageParam targets_{Halide::Float(32), 2, "targets"};
  Halide::ImageParam params_{Halide::Float(32), 1, "params"};
  Halide::ImageParam state_{Halide::Float(32), 1, "state"};
  Halide::Param<std::int32_t> seed_{"seed"}, step_{"step"}, first_sample_{"first_sample"};
  Halide::Pipeline inference_, training_;
};

// What the runtime knows of a model built at run time (a Graph, not a constexpr model).
runtime::ModelInfo model_info(std::string name, const std::vector<Node>& nodes, int output);

}  // namespace cnn::tests
