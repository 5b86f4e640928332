// Turning a model's Diagnostic into one compile error a user can act on.
//
// check<M>() is a constant expression that is true for a well-formed model. For an
// ill-formed one it instantiates the error template of the rule broken (model_error.hpp):
// the model's and the shared rules' templates are here, a kind's own rules' in its file.
#pragma once

#include "model.hpp"
#include "model_error.hpp"

namespace cnn {
namespace errors {

CNN_MODEL_ERROR(no_input_first,
                "the model does not start with an Input layer: make Input{height, width, "
                "channels} its first layer",
                int unused = 0)
CNN_MODEL_ERROR(input_not_first,
                "an Input layer appears after the first layer: a Sequential model has one "
                "Input, first",
                int unused = 0)
CNN_MODEL_ERROR(duplicate_name, "two layers share a name: give this layer a unique name=\"...\"",
                int same_as_layer)
CNN_MODEL_ERROR(too_many_inputs, "a merge layer takes at most 8 inputs: merge in two steps",
                int got_inputs)
CNN_MODEL_ERROR(merge_needs_two_inputs, "Add and Concatenate need at least two inputs",
                int got_inputs)
CNN_MODEL_ERROR(spatial_layer_after_flatten,
                "Conv2D, pooling and augmentation layers need a (height, width, channels) "
                "input but got a flat one: move this layer before Flatten and Dense",
                int got_rank)
CNN_MODEL_ERROR(window_larger_than_padded_input,
                "the kernel or pool window is larger than the layer's (padded) input: use a "
                "smaller kernel_size/pool_size, padding=same, or fewer downsampling layers "
                "before it",
                int got_window, int padded_input)
CNN_MODEL_ERROR(zero_strides, "strides must be >= 1 in both dimensions: set strides, e.g. 1",
                int got_strides)

}  // namespace errors

// True for a well-formed model; a compile error naming the layer otherwise.
template <auto M>
consteval bool check() {
  constexpr Diagnostic d = M.diagnostic;
  constexpr int i = d.layer < 0 ? 0 : d.layer;
  constexpr std::size_t at = static_cast<std::size_t>(i < static_cast<int>(M.size()) ? i : 0);
  constexpr Name name = M.nodes[at].name;
  using enum Error;
  if constexpr (d.error == none)
    return true;
  else if constexpr (d.error == no_input_first)
    return errors::no_input_first<i, name>::ok;
  else if constexpr (d.error == input_not_first)
    return errors::input_not_first<i, name>::ok;
  else if constexpr (d.error == duplicate_name)
    return errors::duplicate_name<i, name, d.got>::ok;
  else if constexpr (d.error == too_many_inputs)
    return errors::too_many_inputs<i, name, d.got>::ok;
  else if constexpr (d.error == merge_needs_two_inputs)
    return errors::merge_needs_two_inputs<i, name, d.got>::ok;
  else if constexpr (d.error == spatial_layer_after_flat)
    return errors::spatial_layer_after_flatten<i, name, d.got>::ok;
  else if constexpr (d.error == window_larger_than_input)
    return errors::window_larger_than_padded_input<i, name, d.got, d.limit>::ok;
  else if constexpr (d.error == zero_strides)
    return errors::zero_strides<i, name, d.got>::ok;
  else if constexpr (d.error == layer_rule)
    return kind_type<M.nodes[at].kind>::type::template report<d, i, name>();
  else
    static_assert(d.error == none, "check<M>(): a model Error without a compile error");
}

// `static_assert(cnn::well_formed<model>)` checks a declaration where it is written.
template <auto M>
inline constexpr bool well_formed = check<M>();

}  // namespace cnn
