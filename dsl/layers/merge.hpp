// What Add and Concatenate share: they take two or more tensors, `Add{}(x, y)`.
#pragma once

#include "dsl/layer.hpp"

namespace cnn {

template <class L, class T, class... Rest>
constexpr T append_merge(const L& layer, T first, Rest... rest);  // graph.hpp

// `Add{}(x, y, ...)`: a template, so that it is compiled where Graph is complete.
#define CNN_MERGE_CALL                                  \
  template <class T = Tensor, class... Rest>            \
  constexpr T operator()(T first, Rest... rest) const { \
    return append_merge(*this, first, rest...);         \
  }

constexpr Inferred needs_two_inputs(InputShapes in) {
  return in.size() < 2 ? broken(Error::merge_needs_two_inputs, static_cast<int>(in.size()), 2)
                       : Inferred{};
}

}  // namespace cnn
