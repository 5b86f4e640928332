// expect: zero_strides<1, cnn::Name{"conv2d"}, 0>
// expect: strides must be >= 1
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m =
    Sequential(Input{28, 28, 1}, Conv2D{.filters = 8, .kernel_size = 3, .strides = {1, 0}});
static_assert(well_formed<m>);
