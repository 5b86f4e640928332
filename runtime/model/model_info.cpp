#include "runtime/model/model_info.hpp"

#include <fmt/format.h>

namespace cnn::runtime {

namespace {
// A layer's arguments that shape its computation beyond its output shape and tensors.
std::string window_arguments(const Node& n) {
  return visit(n, [](const auto& layer) {
    std::string text;
    if constexpr (requires { layer.kernel_size; })
      text += fmt::format("k{}x{}", layer.kernel_size.height, layer.kernel_size.width);
    if constexpr (requires { layer.pool_size; })
      text += fmt::format("p{}x{}", layer.pool_size.height, layer.pool_size.width);
    if constexpr (requires { layer.effective_strides(); })
      text +=
          fmt::format("s{}x{}", layer.effective_strides().height, layer.effective_strides().width);
    else if constexpr (requires { layer.strides; })
      text += fmt::format("s{}x{}", layer.strides.height, layer.strides.width);
    if constexpr (requires { layer.padding == Padding::same; })
      text += layer.padding == Padding::same ? "same" : "valid";
    if constexpr (requires { layer.padding.top; })
      text += fmt::format("pad{},{},{},{}", layer.padding.top, layer.padding.bottom,
                          layer.padding.left, layer.padding.right);
    return text;
  });
}
}  // namespace

std::string ModelInfo::fingerprint() const {
  // FNV-1a over a canonical text of the architecture. Kinds and activations are named, not
  // numbered, so that reordering an enum leaves saved files readable.
  std::string text;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    text += fmt::format("{}:{}:{}:{}x{}x{}", class_name(n.kind), activation_name(activation_of(n)),
                        window_arguments(n), n.output.height, n.output.width, n.output.channels);
    for (int k = 0; k < n.input_count; ++k) text += fmt::format("<{}", n.input(k));
    for (const TensorSlot& s : table.slots)
      if (s.node == static_cast<int>(i)) {
        text += fmt::format(":{}", role_name(s.role));
        for (int d = 0; d < s.rank; ++d)
          text += fmt::format("x{}", s.shape[static_cast<std::size_t>(d)]);
      }
    text += ';';
  }
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace cnn::runtime
