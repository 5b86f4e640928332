// expect: no_input_first<0, cnn::Name{"conv2d"}
// expect: make Input{height, width, channels} its first layer
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m =
    Sequential(Conv2D{.filters = 8, .kernel_size = 3}, Flatten{}, Dense{.units = 10});
static_assert(well_formed<m>);
