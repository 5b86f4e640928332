// Keras's applications.InceptionV3 (keras/src/applications/inception_v3.py): the stem and
// the eleven mixed blocks (`inception_v3::features`, to mixed10), and `inception_v3`, with
// its top (include_top=True): 299x299x3, 1000 classes.
//
// Layer names are Keras 2's (conv2d_1 ... conv2d_94, batch_normalization_1 ..., mixed0 ...),
// as the pretrained files hold them: keras.applications' .h5 weights and the TF.js model of
// scripts/fetch_nsfwjs.sh. The nodes are in Keras's model.layers order (dsl/model.hpp), so
// index 213 is activation_63, inside mixed7, as in Keras.
#pragma once

#include "dsl/dsl.hpp"
#include "examples/imagenet_top.hpp"

namespace cnn::examples {

namespace inception_v3 {

// Keras 2's numbering: each class counts its layers from 1 in creation order.
struct Names {
  int conv = 0, avg_pool = 0, max_pool = 0, concatenate = 0;
};

// conv2d_bn: Conv2D without bias, BatchNormalization without scale, ReLU.
constexpr Tensor conv2d_bn(Names& n, Tensor x, int filters, int rows, int columns,
                           Size2 strides = 1, Padding padding = same) {
  ++n.conv;
  x = Conv2D{.filters = filters,
             .kernel_size = {rows, columns},
             .strides = strides,
             .padding = padding,
             .use_bias = false,
             .name = Name::numbered("conv2d", n.conv)}(x);
  x = BatchNormalization{.scale = false, .name = Name::numbered("batch_normalization", n.conv)}(x);
  return Activation{relu, Name::numbered("activation", n.conv)}(x);
}
constexpr Tensor avg_pool_3x3(Names& n, Tensor x) {
  return AveragePooling2D{.pool_size = 3,
                          .strides = 1,
                          .padding = same,
                          .name = Name::numbered("average_pooling2d", ++n.avg_pool)}(x);
}
constexpr Tensor max_pool_3x3(Names& n, Tensor x) {
  return MaxPooling2D{
      .pool_size = 3, .strides = 2, .name = Name::numbered("max_pooling2d", ++n.max_pool)}(x);
}

// mixed0 to mixed2: 35x35; `pool_filters` 32 in mixed0, then 64.
constexpr Tensor block35(Names& n, Tensor x, int pool_filters, Name name) {
  auto b1 = conv2d_bn(n, x, 64, 1, 1);
  auto b5 = conv2d_bn(n, conv2d_bn(n, x, 48, 1, 1), 64, 5, 5);
  auto b3 = conv2d_bn(n, conv2d_bn(n, conv2d_bn(n, x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
  auto bp = conv2d_bn(n, avg_pool_3x3(n, x), pool_filters, 1, 1);
  return Concatenate{name}(b1, b5, b3, bp);
}

// mixed4 to mixed7: 17x17, the 7x7 convolutions factored into 1x7 and 7x1.
constexpr Tensor block17(Names& n, Tensor x, int f, Name name) {
  auto b1 = conv2d_bn(n, x, 192, 1, 1);
  auto b7 = conv2d_bn(n, x, f, 1, 1);
  b7 = conv2d_bn(n, b7, f, 1, 7);
  b7 = conv2d_bn(n, b7, 192, 7, 1);
  auto b7dbl = conv2d_bn(n, x, f, 1, 1);
  b7dbl = conv2d_bn(n, b7dbl, f, 7, 1);
  b7dbl = conv2d_bn(n, b7dbl, f, 1, 7);
  b7dbl = conv2d_bn(n, b7dbl, f, 7, 1);
  b7dbl = conv2d_bn(n, b7dbl, 192, 1, 7);
  auto bp = conv2d_bn(n, avg_pool_3x3(n, x), 192, 1, 1);
  return Concatenate{name}(b1, b7, b7dbl, bp);
}

// mixed9 and mixed10: 8x8, with the 3x3s split into 1x3 and 3x1 side by side.
constexpr Tensor block8(Names& n, Tensor x, Name inner, Name name) {
  auto b1 = conv2d_bn(n, x, 320, 1, 1);
  auto b3 = conv2d_bn(n, x, 384, 1, 1);
  auto b3_1 = conv2d_bn(n, b3, 384, 1, 3);
  auto b3_2 = conv2d_bn(n, b3, 384, 3, 1);
  b3 = Concatenate{inner}(b3_1, b3_2);
  auto b3dbl = conv2d_bn(n, conv2d_bn(n, x, 448, 1, 1), 384, 3, 3);
  auto b3dbl_1 = conv2d_bn(n, b3dbl, 384, 1, 3);
  auto b3dbl_2 = conv2d_bn(n, b3dbl, 384, 3, 1);
  b3dbl = Concatenate{Name::numbered("concatenate", ++n.concatenate)}(b3dbl_1, b3dbl_2);
  auto bp = conv2d_bn(n, avg_pool_3x3(n, x), 192, 1, 1);
  return Concatenate{name}(b1, b3, b3dbl, bp);
}

// InceptionV3 without its top (include_top=False, pooling=None): 21,802,784 parameters, of
// which 34,432 non-trainable (the moving statistics). From 75x75 up; 299x299 gives 8x8x2048.
constexpr Tensor features(Tensor inputs) {
  Names n;
  auto x = conv2d_bn(n, inputs, 32, 3, 3, 2, valid);
  x = conv2d_bn(n, x, 32, 3, 3, 1, valid);
  x = conv2d_bn(n, x, 64, 3, 3);
  x = max_pool_3x3(n, x);
  x = conv2d_bn(n, x, 80, 1, 1, 1, valid);
  x = conv2d_bn(n, x, 192, 3, 3, 1, valid);
  x = max_pool_3x3(n, x);

  x = block35(n, x, 32, "mixed0");
  x = block35(n, x, 64, "mixed1");
  x = block35(n, x, 64, "mixed2");

  auto b3 = conv2d_bn(n, x, 384, 3, 3, 2, valid);  // mixed3: to 17x17
  auto b3dbl = conv2d_bn(n, conv2d_bn(n, conv2d_bn(n, x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, valid);
  x = Concatenate{"mixed3"}(b3, b3dbl, max_pool_3x3(n, x));

  x = block17(n, x, 128, "mixed4");
  x = block17(n, x, 160, "mixed5");
  x = block17(n, x, 160, "mixed6");
  x = block17(n, x, 192, "mixed7");

  auto b3x3 = conv2d_bn(n, conv2d_bn(n, x, 192, 1, 1), 320, 3, 3, 2, valid);  // mixed8: to 8x8
  auto b7x7x3 = conv2d_bn(n, x, 192, 1, 1);
  b7x7x3 = conv2d_bn(n, b7x7x3, 192, 1, 7);
  b7x7x3 = conv2d_bn(n, b7x7x3, 192, 7, 1);
  b7x7x3 = conv2d_bn(n, b7x7x3, 192, 3, 3, 2, valid);
  x = Concatenate{"mixed8"}(b3x3, b7x7x3, max_pool_3x3(n, x));

  x = block8(n, x, "mixed9_0", "mixed9");
  return block8(n, x, "mixed9_1", "mixed10");
}

}  // namespace inception_v3

// With its top (include_top=True): global average pooling and 1000 ImageNet classes.
inline constexpr auto inception_v3_imagenet = functional("inception_v3", [](Graph& g) {
  auto inputs = Input{299, 299, 3, "input_1"}(g);
  return Model(inputs, imagenet_top(inception_v3::features(inputs)));
});

static_assert(well_formed<inception_v3_imagenet>);
static_assert(inception_v3_imagenet.total_params() == 23'851'784);
static_assert(inception_v3_imagenet.non_trainable_params() == 34'432);
static_assert(inception_v3_imagenet.size() == 313);  // Keras's 311 layers, avg_pool, predictions

}  // namespace cnn::examples
