// expect: dense_needs_flat_input<2, cnn::Name{"dense"}, 3>
// expect: add Flatten() or GlobalAveragePooling2D() before this Dense layer
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m =
    Sequential(Input{28, 28, 1}, Conv2D{.filters = 4, .kernel_size = 3}, Dense{.units = 10});
static_assert(well_formed<m>);
