// Conv2D: both paddings, strides, non-square kernels, each activation, with and without bias;
// 3x3 stride-1 layers with 16 channels or more go by Winograd (forward, input and kernel
// gradients), in whole 4x4 tiles or ragged ones, over a batch that is not a multiple of a
// task's samples; layers with more than 8,192 pairs of channels by its staged plan.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Conv2D&) {
  return {
      {"3x3 valid relu",
       {3, 6, 5, 2},
       2,
       [](Tensor x) { return Conv2D{.filters = 3, .kernel_size = 3, .activation = relu}(x); }},
      {"3x2 same stride 2 tanh",
       {3, 7, 6, 2},
       3,
       [](Tensor x) {
         return Conv2D{.filters = 4,
                       .kernel_size = {3, 2},
                       .strides = 2,
                       .padding = same,
                       .activation = tanh}(x);
       }},
      {"1x1 no bias sigmoid",
       {3, 4, 4, 3},
       1,
       [](Tensor x) {
         return Conv2D{.filters = 2, .kernel_size = 1, .activation = sigmoid, .use_bias = false}(x);
       }},
      {"2x2 same stride (2, 1) softmax, after a conv",
       {3, 5, 5, 1},
       2,
       [](Tensor x) {
         return Conv2D{.filters = 3,
                       .kernel_size = 2,
                       .strides = {2, 1},
                       .padding = same,
                       .activation = softmax}(conv_before(x, 2));
       }},
      {"3x3 same relu, 16 -> 16 channels: Winograd, whole tiles",
       {3, 8, 8, 3},
       2,
       [](Tensor x) {
         return Conv2D{.filters = 16, .kernel_size = 3, .padding = same, .activation = relu}(
             conv_before(x, 16));
       }},
      {"3x3 valid tanh, 16 -> 32 channels: Winograd, ragged tiles",
       {3, 9, 7, 3},
       3,
       [](Tensor x) {
         return Conv2D{.filters = 32, .kernel_size = 3, .activation = tanh}(conv_before(x, 16));
       }},
      {"3x3 valid on the input, 16 -> 16 channels: Winograd's kernel gradient, ragged tiles",
       {3, 7, 10, 16},
       2,
       [](Tensor x) { return Conv2D{.filters = 16, .kernel_size = 3}(x); }},
      {"3x3 same tanh, 96 -> 96 channels: staged Winograd, whole tiles",
       {3, 8, 4, 3},
       3,
       [](Tensor x) {
         return Conv2D{.filters = 96, .kernel_size = 3, .padding = same, .activation = tanh}(
             conv_before(x, 96));
       }},
      {"3x3 valid, 16 -> 520 channels: staged Winograd, ragged tiles, 512 channels and a "
       "tail shorter than a vector",
       {3, 6, 7, 16},
       2,
       [](Tensor x) { return Conv2D{.filters = 520, .kernel_size = 3}(x); }},
  };
}

}  // namespace cnn::tests
