// What can be wrong with a model, found while its shapes are inferred. Only the first
// problem is kept: later layers' shapes are meaningless once one layer is wrong.
#pragma once

namespace cnn {

enum class Error {
  none,
  no_input_first,            // the first layer of the model is not an Input
  window_larger_than_input,  // a kernel or pool window wider than its padded input
  dense_needs_flat_input,    // Dense on a (height, width, channels) input
  spatial_layer_after_flat,  // Conv2D, pooling or augmentation on a flat input
  zero_filters,              // Conv2D filters < 1
  zero_units,                // Dense units < 1
  zero_kernel_size,          // Conv2D kernel_size < 1
  zero_pool_size,            // pooling pool_size < 1
  zero_strides,              // strides < 1
  dropout_rate_out_of_range, // Dropout rate outside [0, 1)
  zero_input_size,           // Input with a dimension < 1
  add_shape_mismatch,        // Add of tensors with different shapes
  concatenate_shape_mismatch,// Concatenate of tensors with different height or width
  merge_needs_two_inputs,    // Add or Concatenate with fewer than two inputs
  duplicate_name,            // two layers with one name
  input_not_first,           // an Input layer in the middle of a Sequential model
  bad_batch_norm_arguments,  // momentum outside [0, 1] or epsilon <= 0
  too_many_inputs,           // a merge of more than kMaxNodeInputs tensors
};

struct Diagnostic {
  Error error = Error::none;
  int layer = -1;  // index in the model, the Input counted
  int got = 0;     // what the layer was given (kernel extent, rank, rate in per mille, ...)
  int limit = 0;   // what it may be at most or should be (padded input extent, ...)
  constexpr bool ok() const { return error == Error::none; }
};

}  // namespace cnn
