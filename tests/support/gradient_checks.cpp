#include "tests/support/gradient_checks.hpp"

namespace cnn::tests {

std::vector<DifferenceCheck> check_differences(
    const runtime::ModelInfo& m, runtime::AlignedFloats params, std::span<const float> gradients,
    const std::function<double(const runtime::AlignedFloats&)>& loss, std::size_t stride, float h,
    std::size_t per_tensor, std::string_view only_tensor) {
  std::vector<DifferenceCheck> checks;
  for (const TensorSlot& s : m.table.slots) {
    if (in_state_buffer(s.role)) continue;
    if (!m.nodes[static_cast<std::size_t>(s.node)].trainable) continue;  // frozen: no gradient
    if (!only_tensor.empty() && s.name(m.nodes) != only_tensor) continue;
    long long step = static_cast<long long>(stride);
    const long long size = s.size, wanted = static_cast<long long>(per_tensor);
    if (wanted > 0 && size > wanted * step) step = (size + wanted - 1) / wanted | 1;
    std::vector<double> numeric, generated;
    for (long long k = 0; k < s.size; k += step) {
      const std::size_t i = static_cast<std::size_t>(s.offset + k);
      const float original = params[i];
      params[i] = original + h;
      const double up = loss(params);
      params[i] = original - h;
      const double down = loss(params);
      params[i] = original;
      numeric.push_back((up - down) / (2.0 * h));
      generated.push_back(gradients[i]);
    }
    double norm = 0, generated_norm = 0;
    for (double v : numeric) norm += v * v;
    for (double v : generated) generated_norm += v * v;
    checks.push_back({s.name(m.nodes), relative_error(generated, numeric), std::sqrt(norm),
                      std::sqrt(generated_norm)});
  }
  return checks;
}

}  // namespace cnn::tests
