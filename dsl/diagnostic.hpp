// What can be wrong with a model, found while its shapes are inferred. Only the first
// problem is kept: later layers' shapes are meaningless once one layer is wrong.
//
// The rules here are the model's and those several kinds share; a kind's own rules
// (Conv2D's filters >= 1, ...) are its `Mistake`s, in its own file (dsl/layers/<kind>.hpp).
#pragma once

namespace cnn {

enum class Error {
  none,
  no_input_first,            // the first layer of the model is not an Input
  input_not_first,           // an Input layer in the middle of a Sequential model
  duplicate_name,            // two layers with one name
  too_many_inputs,           // a merge of more than kMaxNodeInputs tensors
  merge_needs_two_inputs,    // Add or Concatenate with fewer than two inputs
  spatial_layer_after_flat,  // Conv2D, pooling or augmentation on a flat input
  window_larger_than_input,  // a kernel or pool window wider than its padded input
  zero_strides,              // strides < 1
  layer_rule,                // one of the layer kind's own rules: see `rule`
};

struct Diagnostic {
  Error error = Error::none;
  int layer = -1;  // index in the model, the Input counted
  int got = 0;     // what the layer was given (kernel extent, rank, rate in per mille, ...)
  int limit = 0;   // what it may be at most or should be (padded input extent, ...)
  int rule = 0;    // with Error::layer_rule: the kind's Mistake, as an int
  constexpr bool ok() const { return error == Error::none; }
};

}  // namespace cnn
