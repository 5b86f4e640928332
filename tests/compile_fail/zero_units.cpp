// expect: zero_units<2, cnn::Name{"dense"}, 0>
// expect: Dense needs units >= 1
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Flatten{}, Dense{.units = 0});
static_assert(well_formed<m>);
