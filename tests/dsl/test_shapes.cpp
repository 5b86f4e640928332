// Output shapes against the formulas Keras documents for Conv2D and the pooling layers:
//   valid: out = ceil((in - window + 1) / stride);  same: out = ceil(in / stride).
#include <catch2/catch.hpp>

#include "dsl/dsl.hpp"

using namespace cnn;

namespace {
int keras_extent(int in, int window, int stride, Padding padding) {
  const int span = padding == Padding::same ? in : in - window + 1;
  return span <= 0 ? 0 : (span + stride - 1) / stride;
}
}  // namespace

TEST_CASE("Conv2D output shape follows Keras for every kernel, stride and padding") {
  for (int in = 4; in <= 13; ++in)
    for (int k = 1; k <= 5; ++k)
      for (int s = 1; s <= 3; ++s)
        for (Padding p : {Padding::valid, Padding::same}) {
          if (p == Padding::valid && k > in) continue;
          const auto m = Sequential(
              Input{in, in + 2, 3},
              Conv2D{.filters = 7, .kernel_size = {k, k + 1}, .strides = {s, 1}, .padding = p});
          INFO("in=" << in << " k=" << k << " s=" << s << " same=" << (p == Padding::same));
          REQUIRE(m.diagnostic.ok());
          CHECK(m[1].output ==
                Shape::image(keras_extent(in, k, s, p), keras_extent(in + 2, k + 1, 1, p), 7));
          CHECK(m[1].trainable_params == k * (k + 1) * 3 * 7 + 7);
          CHECK(m[1].macs == static_cast<long long>(k * (k + 1) * 3 * 7) * m[1].output.height *
                                 m[1].output.width);
        }
}

TEST_CASE("pooling strides default to the pool size and follow Keras's extents") {
  for (int in = 2; in <= 12; ++in)
    for (int k = 1; k <= 3 && k <= in; ++k)
      for (Padding p : {Padding::valid, Padding::same}) {
        const auto m = Sequential(Input{in, in, 4}, MaxPooling2D{.pool_size = k, .padding = p},
                                  AveragePooling2D{.pool_size = 1, .strides = 1});
        REQUIRE(m.diagnostic.ok());
        CHECK(m[1].as<MaxPooling2D>().effective_strides() == Size2{k});
        CHECK(m[1].output == Shape::image(keras_extent(in, k, k, p), keras_extent(in, k, k, p), 4));
        CHECK(m[2].output == m[1].output);
      }
}

TEST_CASE("'same' padding puts the odd pixel after, as TensorFlow does") {
  CHECK(padding_before(28, 3, 1, Padding::same) == 1);
  CHECK(total_padding(28, 3, 1, Padding::same) == 2);
  CHECK(padding_before(28, 5, 2, Padding::same) == 1);  // total 3: 1 before, 2 after
  CHECK(total_padding(28, 5, 2, Padding::same) == 3);
  CHECK(padding_before(28, 3, 1, Padding::valid) == 0);
}

TEST_CASE("a window that does not fit is diagnosed at its layer") {
  const auto m = Sequential(Input{6, 6, 1}, Conv2D{.filters = 2, .kernel_size = 3},
                            MaxPooling2D{.pool_size = 5});
  CHECK(m.diagnostic.error == Error::window_larger_than_input);
  CHECK(m.diagnostic.layer == 2);
  CHECK(m.diagnostic.got == 5);
  CHECK(m.diagnostic.limit == 4);
}

TEST_CASE("flat layers, merges and batch normalization infer Keras's shapes and counts") {
  const auto m = functional("branches", [](Graph& g) {
    auto inputs = Input{8, 8, 3}(g);
    auto a = Conv2D{.filters = 4, .kernel_size = 3, .padding = same, .use_bias = false}(inputs);
    auto b = Conv2D{.filters = 6, .kernel_size = 1}(inputs);
    auto c = BatchNormalization{}(Concatenate{}(a, b));
    auto d = GlobalAveragePooling2D{}(c);
    return Model(inputs, Dense{.units = 5, .activation = softmax}(d));
  });
  REQUIRE(m.diagnostic.ok());
  CHECK(m[1].trainable_params == 3 * 3 * 3 * 4);
  CHECK(m[3].output == Shape::image(8, 8, 10));
  CHECK(m[4].trainable_params == 20);
  CHECK(m[4].non_trainable_params == 20);
  CHECK(m[5].output == Shape::flat(10));
  CHECK(m.output_shape() == Shape::flat(5));
  CHECK(m.total_params() == 108 + 24 + 40 + 55);
  CHECK(m.non_trainable_params() == 20);
}

TEST_CASE("Flatten orders (height, width, channels) into one axis") {
  const auto m = Sequential(Input{5, 7, 3}, Flatten{}, Dense{.units = 2, .use_bias = false});
  CHECK(m[1].output == Shape::flat(105));
  CHECK(m[2].trainable_params == 210);
}
