// A small residual network for 32x32x3 images: a stem, one identity block, one
// downsampling block with a 1x1 projection shortcut, global pooling. Functional form.
// Totals: 19,850 parameters, all trainable.
#pragma once

#include "dsl/dsl.hpp"

namespace cnn::examples {

inline constexpr auto small_resnet = functional("small_resnet", [](Graph& g) {
  auto inputs = Input{32, 32, 3}(g);
  auto x = Conv2D{.filters = 16, .kernel_size = 3, .padding = same, .activation = relu}(inputs);

  // Identity block: the shortcut is x itself.
  auto y = Conv2D{.filters = 16, .kernel_size = 3, .padding = same, .activation = relu}(x);
  y = Conv2D{.filters = 16, .kernel_size = 3, .padding = same}(y);
  x = Activation{relu}(Add{}(x, y));

  // Downsampling block: the shortcut is projected to the new shape.
  y = Conv2D{.filters = 32, .kernel_size = 3, .strides = 2, .padding = same, .activation = relu}(x);
  y = Conv2D{.filters = 32, .kernel_size = 3, .padding = same}(y);
  auto shortcut = Conv2D{.filters = 32, .kernel_size = 1, .strides = 2}(x);
  x = Activation{relu}(Add{}(shortcut, y));

  x = GlobalAveragePooling2D{}(x);
  auto outputs = Dense{.units = 10, .activation = softmax}(x);
  return Model(inputs, outputs);
});

static_assert(well_formed<small_resnet>);
static_assert(small_resnet.total_params() == 19'850);

}  // namespace cnn::examples
