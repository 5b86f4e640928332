// expect: merge_needs_two_inputs<2, cnn::Name{"add"}, 1>
// expect: Add and Concatenate need at least two inputs
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = functional("lonely_add", [](Graph& g) {
  auto inputs = Input{8, 8, 1}(g);
  auto x = Conv2D{.filters = 4, .kernel_size = 3}(inputs);
  auto sum = Add{}(x);
  return Model(inputs, Dense{.units = 2, .activation = softmax}(Flatten{}(sum)));
});
static_assert(well_formed<m>);
