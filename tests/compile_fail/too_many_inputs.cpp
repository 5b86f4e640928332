// expect: too_many_inputs<2, cnn::Name{"concatenate"}, 9>
// expect: a merge layer takes at most 8 inputs: merge in two steps
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = functional("wide_merge", [](Graph& g) {
  auto inputs = Input{8, 8, 1}(g);
  auto x = Conv2D{.filters = 2, .kernel_size = 3}(inputs);
  auto joined = Concatenate{}(x, x, x, x, x, x, x, x, x);
  return Model(inputs, Dense{.units = 2, .activation = softmax}(Flatten{}(joined)));
});
static_assert(well_formed<m>);
