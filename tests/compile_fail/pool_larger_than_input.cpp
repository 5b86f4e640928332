// expect: window_larger_than_padded_input<2, cnn::Name{"pool"}, 4, 3>
// expect: the kernel or pool window is larger than the layer's (padded) input
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{5, 5, 1}, Conv2D{.filters = 4, .kernel_size = 3},
                              MaxPooling2D{.pool_size = 4, .name = "pool"});
static_assert(well_formed<m>);
