// A 5x5 kernel on the 3x3 map the second conv leaves: no valid window fits.
// expect: window_larger_than_padded_input<2, cnn::Name{"conv2d_1"}, 5, 3>
// expect: use a smaller kernel_size/pool_size, padding=same
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{5, 5, 1}, Conv2D{.filters = 4, .kernel_size = 3},
                              Conv2D{.filters = 4, .kernel_size = 5});
static_assert(well_formed<m>);
