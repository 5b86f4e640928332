// expect: zero_pool_size<1, cnn::Name{"max_pooling2d"}, 0>
// expect: set pool_size, e.g. 2
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, MaxPooling2D{.pool_size = 0});
static_assert(well_formed<m>);
