// expect: concatenate_shape_mismatch<3, cnn::Name{"concatenate"}, 16, 32>
// expect: Concatenate joins along channels and needs the same height and width
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = functional("m", [](Graph& g) {
  auto inputs = Input{32, 32, 3}(g);
  auto a = Conv2D{.filters = 16, .kernel_size = 3, .padding = same}(inputs);
  auto b = Conv2D{.filters = 8, .kernel_size = 3, .strides = 2, .padding = same}(inputs);
  return Model(inputs, Concatenate{}(a, b));
});
static_assert(well_formed<m>);
