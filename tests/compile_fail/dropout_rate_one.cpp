// expect: dropout_rate_out_of_range<3, cnn::Name{"dropout"}, 1000>
// expect: Dropout rate must be in [0, 1)
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Flatten{}, Dense{.units = 8}, Dropout{1.0});
static_assert(well_formed<m>);
