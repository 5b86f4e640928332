// A small Inception-style network for 32x32x3 images: a stem and one module of four
// branches (1x1; 1x1 -> 3x3; 1x1 -> 5x5; 3x3 max pool -> 1x1) joined by Concatenate.
// Totals: 8,138 parameters, all trainable.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

namespace inception {
constexpr Conv2D conv(int filters, int kernel) {
  return {.filters = filters, .kernel_size = kernel, .padding = same, .activation = relu};
}
}  // namespace inception

inline constexpr auto small_inception = functional("small_inception", [](Graph& g) {
  using inception::conv;
  auto inputs = Input{32, 32, 3}(g);
  auto x = conv(32, 3)(inputs);
  x = MaxPooling2D{.pool_size = 2}(x);

  auto branch1x1 = conv(16, 1)(x);
  auto branch3x3 = conv(24, 3)(conv(16, 1)(x));
  auto branch5x5 = conv(8, 5)(conv(8, 1)(x));
  auto branch_pool = conv(8, 1)(MaxPooling2D{.pool_size = 3, .strides = 1, .padding = same}(x));
  x = Concatenate{}(branch1x1, branch3x3, branch5x5, branch_pool);

  x = GlobalAveragePooling2D{}(x);
  auto outputs = Dense{.units = 10, .activation = softmax}(x);
  return Model(inputs, outputs);
});

static_assert(well_formed<small_inception>);
static_assert(small_inception.total_params() == 8'138);

}  // namespace cnn::examples
