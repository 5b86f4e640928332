#include "runtime/model/weights.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace cnn::runtime {

std::span<float> tensor_of(Weights& w, const TensorSlot& slot) {
  auto& flat = in_state_buffer(slot.role) ? w.state : w.params;
  return {flat.data() + slot.offset, static_cast<std::size_t>(slot.size)};
}

std::span<const float> tensor_of(const Weights& w, const TensorSlot& slot) {
  const auto& flat = in_state_buffer(slot.role) ? w.state : w.params;
  return {flat.data() + slot.offset, static_cast<std::size_t>(slot.size)};
}

Weights initial_weights(const ModelInfo& model, std::uint64_t seed) {
  Weights w;
  w.params.assign(static_cast<std::size_t>(model.table.params_size), 0.0f);
  w.state.assign(static_cast<std::size_t>(std::max<long long>(model.table.state_size, 1)), 0.0f);
  std::mt19937_64 rng(seed);
  for (const TensorSlot& slot : model.table.slots) {
    std::span<float> t = tensor_of(w, slot);
    switch (slot.role) {
      case TensorRole::kernel: {
        // Keras's fans: receptive field times input (output) channels.
        long long receptive = 1;
        for (int d = 0; d + 2 < slot.rank; ++d)
          receptive *= slot.shape[static_cast<std::size_t>(d)];
        const double fan_in =
            static_cast<double>(receptive * slot.shape[static_cast<std::size_t>(slot.rank - 2)]);
        const double fan_out =
            static_cast<double>(receptive * slot.shape[static_cast<std::size_t>(slot.rank - 1)]);
        const double limit = std::sqrt(6.0 / (fan_in + fan_out));
        // Uniform in [-limit, limit) from the top 24 bits: the same on every platform.
        for (float& v : t)
          v = static_cast<float>(((rng() >> 40) * (1.0 / 16777216.0) * 2.0 - 1.0) * limit);
        break;
      }
      case TensorRole::gamma:
      case TensorRole::moving_variance: std::fill(t.begin(), t.end(), 1.0f); break;
      case TensorRole::bias:
      case TensorRole::beta:
      case TensorRole::moving_mean: std::fill(t.begin(), t.end(), 0.0f); break;
    }
  }
  return w;
}

}  // namespace cnn::runtime
