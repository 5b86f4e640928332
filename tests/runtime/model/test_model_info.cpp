// The architecture fingerprint that weights files and checkpoints carry.
#include <catch2/catch.hpp>

#include "examples/cifar_cnn.hpp"
#include "examples/cifar_deep.hpp"
#include "examples/fashion_aug.hpp"
#include "examples/fashion_aug_wide.hpp"
#include "examples/fashion_cnn.hpp"
#include "examples/lenet5.hpp"
#include "examples/mnist_bn.hpp"
#include "examples/mnist_cnn.hpp"
#include "runtime/model/model_info.hpp"

using namespace cnn;
using runtime::ModelInfo;

TEST_CASE(
    "each tutorial model's fingerprint is pinned: a change to it makes saved files unreadable") {
  // Hashed from kinds' and activations' names, so that reordering an enum changes nothing.
  // Change a value here only with the model, knowing that its saved weights will be refused.
  CHECK(ModelInfo::of(examples::mnist_cnn).fingerprint() == "d70417a14ae7f9f9");
  CHECK(ModelInfo::of(examples::mnist_bn).fingerprint() == "7f704135dbdbaf7d");
  CHECK(ModelInfo::of(examples::lenet5).fingerprint() == "adf3cf0e58cbe8ef");
  CHECK(ModelInfo::of(examples::fashion_cnn).fingerprint() == "c30a5baa8d933784");
  CHECK(ModelInfo::of(examples::fashion_aug).fingerprint() == "894fcbbe901758e0");
  CHECK(ModelInfo::of(examples::fashion_aug_functional).fingerprint() == "894fcbbe901758e0");
  CHECK(ModelInfo::of(examples::cifar_cnn).fingerprint() == "774a1044f9a0e657");
  CHECK(ModelInfo::of(examples::cifar_deep).fingerprint() == "2f17de5b506910c1");
  // Ours, beside the tutorials': the model that was fashion_aug until 2026-11-24.
  CHECK(ModelInfo::of(examples::fashion_aug_wide).fingerprint() == "c13e07b43e2db0db");
}

TEST_CASE("the fingerprint sees kinds, activations, windows, strides, padding and tensors") {
  constexpr auto base =
      Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 3}, MaxPooling2D{}, Flatten{},
                 Dense{.units = 3, .activation = softmax});
  const std::string f = ModelInfo::of(base).fingerprint();
  CHECK(ModelInfo::of(
            Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 3, .activation = relu},
                       MaxPooling2D{}, Flatten{}, Dense{.units = 3, .activation = softmax}))
            .fingerprint() != f);
  CHECK(ModelInfo::of(Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 3},
                                 AveragePooling2D{}, Flatten{},
                                 Dense{.units = 3, .activation = softmax}))
            .fingerprint() != f);
  CHECK(ModelInfo::of(Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 3},
                                 MaxPooling2D{.pool_size = 2, .strides = 2}, Flatten{},
                                 Dense{.units = 3, .activation = softmax}))
            .fingerprint() == f);  // strides=None is pool_size, as in Keras
  CHECK(ModelInfo::of(
            Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 3, .use_bias = false},
                       MaxPooling2D{}, Flatten{}, Dense{.units = 3, .activation = softmax}))
            .fingerprint() != f);
  CHECK(
      ModelInfo::of(Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 1},
                               MaxPooling2D{}, Flatten{}, Dense{.units = 3, .activation = softmax}))
          .fingerprint() != f);
  // Names are not architecture: renaming a layer keeps the file readable.
  CHECK(
      ModelInfo::of(Sequential(Input{8, 8, 1}, Conv2D{.filters = 2, .kernel_size = 3, .name = "c"},
                               MaxPooling2D{}, Flatten{}, Dense{.units = 3, .activation = softmax}))
          .fingerprint() == f);
}
