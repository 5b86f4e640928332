// What lowering produces and scheduling consumes: the pipeline's Funcs, each tagged with the
// role it plays, so that a schedule is chosen per role without reading the algorithm.
#pragma once

#include <vector>

#include <Halide.h>

#include "dsl/shape.hpp"

namespace cnn::codegen {

enum class Role {
  conv,                // (c, x, y, n) = sum over (ci, kx, ky): convolution, pre-activation
  conv_grad_input,     // (ci, x, y, n) = sum over (co, kx, ky)
  conv_grad_kernel,    // (co, ci, kx, ky) = sum over (x, y, n)
  dense,               // (u, n) = sum over i
  dense_grad_input,    // (i, n) = sum over u
  dense_grad_kernel,   // (u, i) = sum over n
  channel_sum,         // (c) = sum over everything else: biases' gradients, BN statistics
  pooling,             // (c, x, y, n) = reduction over a small window
  pointwise_image,     // (c, x, y, n) elementwise, worth materializing
  pointwise_flat,      // (c, n) elementwise, worth materializing
  per_sample,          // (n) = reduction over classes: the loss's log-sum-exp
  transposed_weights,  // a kernel laid out for the input-gradient reduction
  scalar,              // a 0-d result
  // A 3x3 convolution by Winograd's F(4x4, 3x3) (rules/winograd.hpp): the output (c, x, y, n),
  // pointwise in the product (co, i, j, tile x, tile y, n) = sum over ci of the transformed
  // weights (co, ci, i, j) times the transformed input (ci, i, j, tile x, tile y, n).
  winograd_output,
  winograd_product,
  winograd_input,
  winograd_weights,
  // The weights' gradient (co, ci, a, b), pointwise in the product (co, ci, i, j) = sum over
  // the tiles of every sample of the transformed output gradient times the transformed input.
  winograd_gradient_output,
  winograd_gradient_product,
};

// The elementwise role for a tensor of `shape`.
inline Role pointwise(const Shape& shape) {
  return shape.rank == 1 ? Role::pointwise_flat : Role::pointwise_image;
}

inline constexpr int kBatchExtent = -1;  // the batch dimension: known only at run time

struct Stage {
  Halide::Func func;
  Role role;
  std::vector<int> extents;  // of the Func's pure dimensions, innermost first, where known
  // An elementwise Func of `func` alone (a layer's activation) that the schedule may compute
  // as each block of `func` is done, instead of recomputing it in every consumer.
  Halide::Func epilogue;
};

struct Lowered {
  std::vector<Stage> stages;  // in the order they were defined
  void add(Halide::Func f, Role role, std::vector<int> extents = {}) {
    stages.push_back({f, role, std::move(extents), Halide::Func()});
  }
  // Records `epilogue` as the elementwise follower of the stage computing `f`, if any.
  void follow(const Halide::Func& f, Halide::Func epilogue) {
    for (Stage& s : stages)
      if (s.func.name() == f.name()) s.epilogue = epilogue;
  }
};

}  // namespace cnn::codegen
