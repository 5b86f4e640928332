// expect: dropout_rate_out_of_range<2, cnn::Name{"drop"}, -100>
// expect: use e.g. rate=0.25
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Flatten{}, Dropout{-0.1, "drop"});
static_assert(well_formed<m>);
