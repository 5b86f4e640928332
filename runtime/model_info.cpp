#include "runtime/model_info.hpp"

#include <fmt/format.h>

namespace cnn::runtime {

std::string ModelInfo::fingerprint() const {
  // FNV-1a over a canonical text of the architecture.
  std::string text;
  for (const Node& n : nodes) {
    text += fmt::format("{}:{}:{}x{}:{}x{}:{}:{}:{}:{}x{}x{};", static_cast<int>(n.kind), n.units,
                        n.window.height, n.window.width, n.strides.height, n.strides.width,
                        static_cast<int>(n.padding), static_cast<int>(n.activation),
                        n.use_bias ? 1 : 0, n.output.height, n.output.width, n.output.channels);
    for (int k = 0; k < n.input_count; ++k) text += fmt::format("<{}", n.input(k));
  }
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace cnn::runtime
