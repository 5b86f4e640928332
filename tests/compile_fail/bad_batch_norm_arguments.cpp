// expect: bad_batch_norm_arguments<2, cnn::Name{"batch_normalization"}, 1500>
// expect: BatchNormalization needs momentum in [0, 1] and epsilon > 0
#include "dsl/dsl.hpp"
using namespace cnn;
constexpr auto m = Sequential(Input{8, 8, 1}, Conv2D{.filters = 4, .kernel_size = 3},
                              BatchNormalization{.momentum = 1.5}, Flatten{},
                              Dense{.units = 2, .activation = softmax});
static_assert(well_formed<m>);
