// expect: duplicate_name<2, cnn::Name{"features"}, 1>
// expect: give this layer a unique name
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m =
    Sequential(Input{28, 28, 1}, Conv2D{.filters = 8, .kernel_size = 3, .name = "features"},
               Conv2D{.filters = 8, .kernel_size = 3, .name = "features"});
static_assert(well_formed<m>);
