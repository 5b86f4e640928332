// expect: zero_filters<1, cnn::Name{"conv2d"}, 0>
// expect: set filters to a positive count
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Conv2D{.filters = 0, .kernel_size = 3});
static_assert(well_formed<m>);
