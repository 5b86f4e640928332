// expect: negative_zero_padding<2, cnn::Name{"zero_padding2d"}, -1>
// expect: ZeroPadding2D needs padding >= 0 on every side
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{8, 8, 1}, Conv2D{.filters = 4, .kernel_size = 3},
                              ZeroPadding2D{.padding = {{0, 1}, {-1, 1}}}, Flatten{},
                              Dense{.units = 2, .activation = softmax});
static_assert(well_formed<m>);
