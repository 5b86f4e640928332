// A model's numbers: the flat trainable parameters and the flat moving statistics, laid out
// by the parameter table, with Keras's initializers.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/model/memory.hpp"
#include "runtime/model/model_info.hpp"

namespace cnn::runtime {

struct Weights {
  AlignedFloats params;
  AlignedFloats state;  // never empty: kernels take a buffer of at least one element
};

// glorot_uniform kernels, zero biases, BatchNormalization gamma 1, beta 0, moving mean 0,
// moving variance 1; the same seed gives the same numbers.
Weights initial_weights(const ModelInfo& model, std::uint64_t seed);

// A tensor's numbers, as a view into the flat buffers.
std::span<float> tensor_of(Weights& w, const TensorSlot& slot);
std::span<const float> tensor_of(const Weights& w, const TensorSlot& slot);

}  // namespace cnn::runtime
