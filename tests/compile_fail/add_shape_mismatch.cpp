// expect: add_shape_mismatch<3, cnn::Name{"add"}, 8192, 16384>
// expect: e.g. a 1x1 Conv2D on the shortcut
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = functional("m", [](Graph& g) {
  auto inputs = Input{32, 32, 3}(g);
  auto a = Conv2D{.filters = 16, .kernel_size = 3, .padding = same}(inputs);
  auto b = Conv2D{.filters = 8, .kernel_size = 3, .padding = same}(inputs);
  return Model(inputs, Add{}(a, b));
});
static_assert(well_formed<m>);
