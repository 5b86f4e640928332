// expect: spatial_layer_after_flatten<2, cnn::Name{"conv2d"}, 1>
// expect: move this layer before Flatten and Dense
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Flatten{}, Conv2D{.filters = 4, .kernel_size = 3});
static_assert(well_formed<m>);
