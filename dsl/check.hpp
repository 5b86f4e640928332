// Turning a model's Diagnostic into one compile error a user can act on.
//
// check<M>() is a constant expression that is true for a well-formed model. For an
// ill-formed one it instantiates the template named after the mistake, whose arguments are
// the layer's index, its name and the numbers involved, and whose one static_assert says
// what to do. GCC prints both together:
//   In instantiation of 'struct cnn::errors::dense_needs_flat_input<
//       layer_index=3, cnn::Name{"dense"}, got_rank=3>':
//   error: static assertion failed: Dense needs a flat (rank-1) input: add Flatten() ...
#pragma once

#include "model.hpp"

namespace cnn {
namespace errors {

// Parameter names read as documentation in the compiler's output.
#define CNN_MODEL_ERROR(error_name, message, ...)                   \
  template <int layer_index, Name layer_name, __VA_ARGS__>          \
  struct error_name {                                               \
    static_assert(layer_index < -1000, message);                    \
    static constexpr bool ok = false;                               \
  };

CNN_MODEL_ERROR(no_input_first,
                "the model does not start with an Input layer: make Input{height, width, "
                "channels} its first layer",
                int unused = 0)
CNN_MODEL_ERROR(input_not_first,
                "an Input layer appears after the first layer: a Sequential model has one "
                "Input, first",
                int unused = 0)
CNN_MODEL_ERROR(window_larger_than_padded_input,
                "the kernel or pool window is larger than the layer's (padded) input: use a "
                "smaller kernel_size/pool_size, padding=same, or fewer downsampling layers "
                "before it",
                int got_window, int padded_input)
CNN_MODEL_ERROR(dense_needs_flat_input,
                "Dense needs a flat (rank-1) input but got a (height, width, channels) "
                "tensor: add Flatten() or GlobalAveragePooling2D() before this Dense layer",
                int got_rank)
CNN_MODEL_ERROR(spatial_layer_after_flatten,
                "Conv2D, pooling and augmentation layers need a (height, width, channels) "
                "input but got a flat one: move this layer before Flatten and Dense",
                int got_rank)
CNN_MODEL_ERROR(zero_filters, "Conv2D needs filters >= 1: set filters to a positive count",
                int got_filters)
CNN_MODEL_ERROR(zero_units, "Dense needs units >= 1: set units to a positive count",
                int got_units)
CNN_MODEL_ERROR(zero_kernel_size,
                "Conv2D needs kernel_size >= 1 in both dimensions: set kernel_size, e.g. 3",
                int got_kernel_size)
CNN_MODEL_ERROR(zero_pool_size,
                "pooling needs pool_size >= 1 in both dimensions: set pool_size, e.g. 2",
                int got_pool_size)
CNN_MODEL_ERROR(zero_strides, "strides must be >= 1 in both dimensions: set strides, e.g. 1",
                int got_strides)
CNN_MODEL_ERROR(dropout_rate_out_of_range,
                "Dropout rate must be in [0, 1) (the fraction of units dropped): use e.g. "
                "rate=0.25",
                int got_rate_per_mille)
CNN_MODEL_ERROR(zero_input_size,
                "Input needs height, width and channels >= 1: give the image's real size",
                int got_extent)
CNN_MODEL_ERROR(add_shape_mismatch,
                "Add needs inputs of one shape: make the branches end with the same "
                "(height, width, channels), e.g. a 1x1 Conv2D on the shortcut",
                int got_elements, int expected_elements)
CNN_MODEL_ERROR(concatenate_shape_mismatch,
                "Concatenate joins along channels and needs the same height and width on "
                "every input: use padding=same or matching strides in each branch",
                int got_height, int expected_height)
CNN_MODEL_ERROR(merge_needs_two_inputs, "Add and Concatenate need at least two inputs",
                int got_inputs)
CNN_MODEL_ERROR(duplicate_name,
                "two layers share a name: give this layer a unique name=\"...\"",
                int same_as_layer)
CNN_MODEL_ERROR(bad_batch_norm_arguments,
                "BatchNormalization needs momentum in [0, 1] and epsilon > 0: keep Keras's "
                "defaults (0.99, 1e-3) unless you mean otherwise",
                int got_momentum_per_mille)
CNN_MODEL_ERROR(too_many_inputs,
                "a merge layer takes at most 8 inputs: merge in two steps",
                int got_inputs)

#undef CNN_MODEL_ERROR

}  // namespace errors

// True for a well-formed model; a compile error naming the layer otherwise.
template <auto M>
consteval bool check() {
  constexpr Diagnostic d = M.diagnostic;
  constexpr int i = d.layer < 0 ? 0 : d.layer;
  constexpr Name name = M.nodes[static_cast<std::size_t>(i < static_cast<int>(M.size()) ? i : 0)].name;
  using enum Error;
  if constexpr (d.error == none) return true;
  else if constexpr (d.error == no_input_first) return errors::no_input_first<i, name>::ok;
  else if constexpr (d.error == input_not_first) return errors::input_not_first<i, name>::ok;
  else if constexpr (d.error == window_larger_than_input)
    return errors::window_larger_than_padded_input<i, name, d.got, d.limit>::ok;
  else if constexpr (d.error == dense_needs_flat_input)
    return errors::dense_needs_flat_input<i, name, d.got>::ok;
  else if constexpr (d.error == spatial_layer_after_flat)
    return errors::spatial_layer_after_flatten<i, name, d.got>::ok;
  else if constexpr (d.error == Error::zero_filters) return errors::zero_filters<i, name, d.got>::ok;
  else if constexpr (d.error == Error::zero_units) return errors::zero_units<i, name, d.got>::ok;
  else if constexpr (d.error == Error::zero_kernel_size)
    return errors::zero_kernel_size<i, name, d.got>::ok;
  else if constexpr (d.error == Error::zero_pool_size)
    return errors::zero_pool_size<i, name, d.got>::ok;
  else if constexpr (d.error == Error::zero_strides) return errors::zero_strides<i, name, d.got>::ok;
  else if constexpr (d.error == Error::dropout_rate_out_of_range)
    return errors::dropout_rate_out_of_range<i, name, d.got>::ok;
  else if constexpr (d.error == Error::zero_input_size)
    return errors::zero_input_size<i, name, d.got>::ok;
  else if constexpr (d.error == Error::add_shape_mismatch)
    return errors::add_shape_mismatch<i, name, d.got, d.limit>::ok;
  else if constexpr (d.error == Error::concatenate_shape_mismatch)
    return errors::concatenate_shape_mismatch<i, name, d.got, d.limit>::ok;
  else if constexpr (d.error == Error::merge_needs_two_inputs)
    return errors::merge_needs_two_inputs<i, name, d.got>::ok;
  else if constexpr (d.error == Error::duplicate_name)
    return errors::duplicate_name<i, name, d.got>::ok;
  else if constexpr (d.error == Error::bad_batch_norm_arguments)
    return errors::bad_batch_norm_arguments<i, name, d.got>::ok;
  else
    return errors::too_many_inputs<i, name, d.got>::ok;
}

// `static_assert(cnn::well_formed<model>)` checks a declaration where it is written.
template <auto M>
inline constexpr bool well_formed = check<M>();

}  // namespace cnn
