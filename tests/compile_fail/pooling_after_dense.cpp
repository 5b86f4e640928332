// expect: spatial_layer_after_flatten<3, cnn::Name{"average_pooling2d"}, 1>
// expect: move this layer before Flatten and Dense
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Flatten{}, Dense{.units = 8}, AveragePooling2D{});
static_assert(well_formed<m>);
