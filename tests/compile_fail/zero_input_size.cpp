// expect: zero_input_size<0, cnn::Name{"input_1"}, 0>
// expect: Input needs height, width and channels >= 1
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m =
    Sequential(Input{28, 0, 1}, Flatten{}, Dense{.units = 10, .activation = softmax});
static_assert(well_formed<m>);
