// expect: input_not_first<2, cnn::Name{"input_2"}
// expect: a Sequential model has one Input, first
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Flatten{}, Input{28, 28, 1},
                              Dense{.units = 10, .activation = softmax});
static_assert(well_formed<m>);
