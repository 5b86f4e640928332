// A 3x3, stride-1 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray,
// "Fast Algorithms for Convolutional Neural Networks", 2016): each 4x4 block of outputs from
// the 6x6 block of inputs under it, with 36 multiplications per pair of channels instead of
// 144. Its three transforms are cheap elementwise work; the product is 36 independent
// matrix products over the channels, where the time goes.
#pragma once

#include "codegen/rules.hpp"

namespace cnn::codegen {

inline constexpr int kWinogradTile = 4;  // outputs per tile side (m); inputs: m + 2

// out(co, x, y, n) = bias(co) + sum over (ci, a, b) of
//                    weights(co, ci, a, b) * in(ci, x + a - offset_x, y + b - offset_y, n)
struct WinogradConv {
  std::string name;  // of the output; its parts' names start with it
  int channels_in, channels_out;
  int width, height;  // of the output
  int offset_x, offset_y;
};

// Whether Winograd pays for this shape: enough channels that the product dominates the
// transforms, and at least one whole tile of outputs (a 2x2 output would compute 4x4).
bool winograd_suits(int channels_in, int channels_out, int width, int height);

// The convolution's output (Role::winograd_output), its stages registered. `in` must be
// readable wherever the tiles reach: up to 3 pixels past the output's extent, rounded up to
// whole tiles (a zero-padded Func, or an input at least that large).
Func winograd_conv3x3(Context& ctx, const WinogradConv& conv, Func in, Func weights, Expr bias);

// The gradient of the same convolution's weights, (co, ci, a, b), from the gradient of its
// output `d_out` (readable over whole tiles: zero past the output's extent) and its `in`.
Func winograd_kernel_gradient(Context& ctx, const WinogradConv& conv, Func d_out, Func in);

}  // namespace cnn::codegen
