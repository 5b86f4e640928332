// A Conv2D without kernel_size: Keras requires it, and so does the compiler.
// expect: zero_kernel_size<1, cnn::Name{"conv2d"}, 0>
// expect: set kernel_size, e.g. 3
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Conv2D{.filters = 8});
static_assert(well_formed<m>);
