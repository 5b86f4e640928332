// Keras's applications as the DSL declares them: Keras's layer names in Keras's
// model.layers order (so that a layer index means what it means in Keras), the parameter
// totals with and without the top, and the smallest inputs Keras accepts.
#include <catch2/catch.hpp>

#include "examples/inception_v3.hpp"
#include "examples/inception_v3_finetune.hpp"
#include "examples/resnet50.hpp"
#include "examples/vgg16.hpp"
#include "examples/vgg16_transfer.hpp"

using namespace cnn;
using namespace cnn::examples;

namespace {
// Without their tops (include_top=False), at any input size Keras accepts.
template <int size>
constexpr auto inception_v3_notop = functional("inception_v3", [](Graph& g) {
  auto inputs = Input{size, size, 3, "input_1"}(g);
  return Model(inputs, inception_v3::features(inputs));
});
template <int size>
constexpr auto resnet50_notop = functional("resnet50", [](Graph& g) {
  auto inputs = Input{size, size, 3, "input_1"}(g);
  return Model(inputs, resnet50::features(inputs));
});
static_assert(well_formed<inception_v3_notop<299>> && well_formed<inception_v3_notop<75>>);
static_assert(well_formed<resnet50_notop<224>> && well_formed<resnet50_notop<32>>);
}  // namespace

TEST_CASE("InceptionV3's layers are Keras's, at Keras's indices") {
  // Spot checks against keras.applications' InceptionV3 as Keras 2.2.4 saved it (the TF.js
  // model of scripts/fetch_nsfwjs.sh lists its 311 layers in this order).
  const auto& m = inception_v3_imagenet;
  const std::pair<int, const char*> expected[] = {{0, "input_1"},
                                                  {1, "conv2d_1"},
                                                  {2, "batch_normalization_1"},
                                                  {3, "activation_1"},
                                                  {210, "conv2d_68"},
                                                  {211, "batch_normalization_63"},
                                                  {212, "batch_normalization_68"},
                                                  {213, "activation_63"},
                                                  {214, "activation_68"},
                                                  {309, "activation_94"},
                                                  {310, "mixed10"},
                                                  {311, "avg_pool"},
                                                  {312, "predictions"}};
  for (const auto& [i, name] : expected) {
    INFO(i);
    CHECK(m[static_cast<std::size_t>(i)].name.view() == name);
  }
  CHECK(m.find("mixed7") > 213);  // "the first 213 layers" end inside mixed7
  CHECK(m.find("mixed6") < 213);
}

TEST_CASE("InceptionV3's totals are Keras's, with and without its top") {
  CHECK(inception_v3_imagenet.total_params() == 23'851'784);
  CHECK(inception_v3_notop<299>.total_params() == 21'802'784);
  CHECK(inception_v3_notop<299>.non_trainable_params() == 34'432);
  CHECK(inception_v3_notop<299>.size() == 311);
  CHECK(inception_v3_notop<299>.output_shape() == Shape::image(8, 8, 2048));
  CHECK(inception_v3_notop<75>.output_shape() ==
        Shape::image(1, 1, 2048));  // Keras's smallest input
  const std::string text = summary(inception_v3_imagenet);
  CHECK(text.find("Total params: 23,851,784\n") != std::string::npos);
  CHECK(text.find("Non-trainable params: 34,432\n") != std::string::npos);
}

TEST_CASE("ResNet50's layers and totals are Keras's") {
  const auto& m = resnet50_imagenet;
  const char* first[] = {"input_1",
                         "conv1_pad",
                         "conv1_conv",
                         "conv1_bn",
                         "conv1_relu",
                         "pool1_pad",
                         "pool1_pool",
                         "conv2_block1_1_conv",
                         "conv2_block1_1_bn",
                         "conv2_block1_1_relu",
                         "conv2_block1_2_conv",
                         "conv2_block1_2_bn",
                         "conv2_block1_2_relu",
                         "conv2_block1_0_conv",
                         "conv2_block1_3_conv",
                         "conv2_block1_0_bn",
                         "conv2_block1_3_bn",
                         "conv2_block1_add",
                         "conv2_block1_out"};
  for (std::size_t i = 0; i < std::size(first); ++i) {
    INFO(i);
    CHECK(m[i].name.view() == first[i]);
  }
  CHECK(m[174].name.view() == "conv5_block3_out");
  CHECK(resnet50_imagenet.total_params() == 25'636'712);
  CHECK(resnet50_notop<224>.total_params() == 23'587'712);
  CHECK(resnet50_notop<224>.non_trainable_params() == 53'120);
  CHECK(resnet50_notop<224>.output_shape() == Shape::image(7, 7, 2048));
  CHECK(resnet50_notop<32>.output_shape() == Shape::image(1, 1, 2048));
}

TEST_CASE("VGG16's totals are Keras's") {
  CHECK(vgg16.total_params() == 138'357'544);
  CHECK(vgg16.find("block5_pool") == 18);
  CHECK(vgg16[22].name.view() == "predictions");
}

TEST_CASE("the fine-tuning model freezes Keras's first 213 layers, and the totals follow") {
  const auto& m = inception_v3_finetune;
  long long learning = 0, frozen = 0, statistics = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    INFO(i << " " << m[i].name.view());
    CHECK(m[i].trainable == (i >= 213));
    (m[i].trainable ? learning : frozen) += m[i].trainable_params;
    statistics += m[i].non_trainable_params;
  }
  CHECK(m[213].name.view() == "activation_63");
  CHECK(m.trainable_params() == learning);
  CHECK(m.non_trainable_params() == frozen + statistics);
  CHECK(m.total_params() == 21'802'784 + 2048 * 3 + 3);
  // mixed7 to mixed10 hold most of InceptionV3's weights: they and the head learn.
  CHECK(m.trainable_params() == 13'629'827);
  CHECK(m.non_trainable_params() == 8'179'104);
  CHECK(m.frozen_below(0).trainable_params() == m.trainable_params());  // it only freezes
  CHECK(m.frozen_below(static_cast<int>(m.size())).trainable_params() == 0);
}

TEST_CASE("the transfer model is VGG16's base frozen under its own name, beside the tutorial's") {
  CHECK(vgg16_transfer.name.view() == "vgg16_transfer");
  CHECK(vgg16_cifar.name.view() == "vgg16_cifar");  // named() copies: the original keeps its own
  CHECK(vgg16_transfer.size() == vgg16_cifar.size());
  for (std::size_t i = 0; i < vgg16_transfer.size(); ++i)
    CHECK(vgg16_transfer[i].trainable == (i > 18));  // block5_pool and all below it frozen
  CHECK(vgg16_transfer.total_params() == vgg16_cifar.total_params());
}
