// A real pretrained Keras model we can fetch offline (scripts/fetch_nsfwjs.sh): npm's nsfwjs
// 4.4.0 ships a Keras 2.2.4 InceptionV3, keras.applications' layers 0-310 with their names,
// then its own 5-class head. Declared here to load its TF.js weights and to check our
// kernels against TensorFlow.js on the same inputs (tests/e2e/tfjs_agreement.sh).
#pragma once

#include "examples/inception_v3.hpp"

namespace cnn::examples {

inline constexpr auto nsfwjs_inception_v3 = functional("nsfwjs_inception_v3", [](Graph& g) {
  auto inputs = Input{299, 299, 3, "input_1"}(g);
  auto x = inception_v3::features(inputs);
  x = AveragePooling2D{.pool_size = 8, .strides = 8, .name = "average_pooling2d_10"}(x);
  x = Flatten{"flatten_1"}(x);
  x = Dense{.units = 256, .activation = relu, .name = "dense_1"}(x);
  x = Dropout{.rate = 0.5, .name = "dropout_2"}(x);
  x = Dense{.units = 128, .activation = relu, .name = "dense_2"}(x);
  x = Dropout{.rate = 0.25, .name = "dropout_3"}(x);
  return Model(inputs, Dense{.units = 5, .activation = softmax, .name = "dense_3"}(x));
});

static_assert(well_formed<nsfwjs_inception_v3>);
static_assert(nsfwjs_inception_v3.total_params() == 22'360'869);  // the manifest's weights
static_assert(nsfwjs_inception_v3.size() == 318);

}  // namespace cnn::examples
