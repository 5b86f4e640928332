// How a broken rule becomes one compile error a user can act on.
//
// CNN_MODEL_ERROR(name, message, parameters...) declares the template errors::name. Checking
// a model that breaks the rule instantiates it with the layer's index, its name and the
// numbers involved, and its one static_assert says what to do. GCC prints both together:
//   In instantiation of 'struct cnn::errors::dense_needs_flat_input<
//       layer_index=3, cnn::Name{"dense"}, got_rank=3>':
//   error: static assertion failed: Dense needs a flat (rank-1) input: add Flatten() ...
// Parameter names read as documentation in the compiler's output.
#pragma once

#include "name.hpp"

#define CNN_MODEL_ERROR(error_name, message, ...)                 \
  template <int layer_index, ::cnn::Name layer_name, __VA_ARGS__> \
  struct error_name {                                             \
    static_assert(layer_index < -1000, message);                  \
    static constexpr bool ok = false;                             \
  };

namespace cnn::errors {
// A kind's infer() returned a Mistake its report<>() has no message for.
CNN_MODEL_ERROR(unreported_layer_rule,
                "this layer kind broke one of its own rules but its report<>() has no message "
                "for it: add the Mistake to the kind's report<>()",
                int rule)
}  // namespace cnn::errors
