// The harness's control: a correct model compiles, so this test expects a failure that must
// come from the static_assert below, not from the model language.
// expect: control: the harness sees this message
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{28, 28, 1}, Conv2D{.filters = 8, .kernel_size = 3}, Flatten{},
                              Dense{.units = 10, .activation = softmax});
static_assert(well_formed<m>);
static_assert(m.total_params() == 54170 && m.macs() == 26 * 26 * 72 + 5408 * 10);
static_assert(!well_formed<m>, "control: the harness sees this message");
