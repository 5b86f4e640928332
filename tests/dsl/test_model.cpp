// Names, totals and the Keras summary of the tutorials' models.
#include <catch2/catch.hpp>

#include "examples/cifar_deep.hpp"
#include "examples/fashion_aug.hpp"
#include "examples/mnist_bn.hpp"
#include "examples/mnist_cnn.hpp"
#include "examples/small_inception.hpp"
#include "examples/small_resnet.hpp"
#include "tests/support/tiny_models.hpp"

using namespace cnn;
using namespace cnn::examples;

TEST_CASE("layers are numbered as Keras numbers them") {
  CHECK(mnist_cnn[0].name.view() == "input_1");
  CHECK(mnist_cnn[1].name.view() == "conv2d");
  CHECK(mnist_cnn[2].name.view() == "conv2d_1");
  CHECK(mnist_cnn[3].name.view() == "max_pooling2d");
  CHECK(mnist_cnn[7].name.view() == "dropout_1");
  CHECK(mnist_cnn[8].name.view() == "dense_1");
  CHECK(mnist_bn[5].name.view() == "dense");
  CHECK(mnist_bn[9].name.view() == "activation_2");
  CHECK(mnist_cnn.find("dense") == 6);
  CHECK(mnist_cnn.find("nothing") == -1);
}

TEST_CASE("a functional model's layers are in Keras's model.layers order") {
  // Created as input, conv2d (x), conv2d_1 (a), conv2d_2 (b), add, activation, ...; Keras
  // orders by depth below the output, so b (one step from the concatenation) comes after
  // the activation (worked by hand with keras/src/ops/function.py's map_graph).
  const auto& m = tests::tiny_branches;
  const char* expected[] = {"input_1",  "conv2d",      "conv2d_1",          "add",     "activation",
                            "conv2d_2", "concatenate", "average_pooling2d", "flatten", "dense"};
  for (std::size_t i = 0; i < m.size(); ++i) {
    INFO(i);
    CHECK(m[i].name.view() == expected[i]);
  }
  CHECK(m.output == 9);
  // Inputs follow their nodes: the concatenation joins the activation and conv2d_2.
  CHECK(m[6].input(0) == 4);
  CHECK(m[6].input(1) == 5);
  CHECK(m[5].input(0) == 1);
}

TEST_CASE("the MNIST model's counts are known at compile time") {
  static_assert(mnist_cnn.total_params() == 1'199'882);
  static_assert(mnist_cnn[1].macs == 26 * 26 * 32 * 9);
  static_assert(mnist_cnn[2].macs == 24 * 24 * 64 * 9 * 32);
  static_assert(mnist_cnn[6].macs == 9216 * 128);
  static_assert(mnist_cnn.macs() == 194'688 + 10'616'832 + 1'179'648 + 1'280);
  // 784 + 21632 + 36864 + 2*9216 + 9216 + 2*128 + 10 floats
  static_assert(mnist_cnn.activation_bytes() == 4 * (784 + 21'632 + 36'864 + 9'216 * 3 + 256 + 10));
  CHECK(mnist_cnn.output_shape() == Shape::flat(10));
  CHECK(mnist_bn.non_trainable_params() == 384);
  CHECK(fashion_aug[1].kind == LayerKind::random_rotation);
  CHECK(fashion_aug[1].as<RandomRotation>().factor.lower == Approx(-0.2));
  CHECK(cifar_deep[5].output == Shape::image(8, 8, 64));
}

TEST_CASE("summary() prints Keras's table for mnist_cnn") {
  const std::string expected =
      "Model: \"mnist_cnn\"\n"
      "_________________________________________________________________\n"
      "Layer (type)                 Output Shape              Param #   \n"
      "=================================================================\n"
      "conv2d (Conv2D)              (None, 26, 26, 32)        320       \n"
      "_________________________________________________________________\n"
      "conv2d_1 (Conv2D)            (None, 24, 24, 64)        18496     \n"
      "_________________________________________________________________\n"
      "max_pooling2d (MaxPooling2D) (None, 12, 12, 64)        0         \n"
      "_________________________________________________________________\n"
      "dropout (Dropout)            (None, 12, 12, 64)        0         \n"
      "_________________________________________________________________\n"
      "flatten (Flatten)            (None, 9216)              0         \n"
      "_________________________________________________________________\n"
      "dense (Dense)                (None, 128)               1179776   \n"
      "_________________________________________________________________\n"
      "dropout_1 (Dropout)          (None, 128)               0         \n"
      "_________________________________________________________________\n"
      "dense_1 (Dense)              (None, 10)                1290      \n"
      "=================================================================\n"
      "Total params: 1,199,882\n"
      "Trainable params: 1,199,882\n"
      "Non-trainable params: 0\n"
      "_________________________________________________________________\n";
  CHECK(summary(mnist_cnn) == expected);
}

TEST_CASE("fashion_aug declared with the Sequential and the functional API is one model") {
  REQUIRE(fashion_aug.size() == fashion_aug_functional.size());
  for (std::size_t i = 0; i < fashion_aug.size(); ++i) {
    INFO("layer " << i);
    CHECK(fashion_aug[i].kind == fashion_aug_functional[i].kind);
    CHECK(fashion_aug[i].name == fashion_aug_functional[i].name);
    CHECK(fashion_aug[i].output == fashion_aug_functional[i].output);
    CHECK(fashion_aug[i].params() == fashion_aug_functional[i].params());
  }
  // Keras prints a functional model's InputLayer too; the rest of the summary is the same.
  std::string functional_text = summary(fashion_aug_functional);
  const std::string input_row =
      "input_1 (InputLayer)         [(None, 28, 28, 1)]       0         \n" + std::string(65, '_') +
      "\n";
  const auto at = functional_text.find(input_row);
  REQUIRE(at != std::string::npos);
  functional_text.erase(at, input_row.size());
  CHECK(functional_text == summary(fashion_aug));
  CHECK(summary(fashion_aug)
            .find("Total params: 322,506\nTrainable params: 322,122\n"
                  "Non-trainable params: 384\n") != std::string::npos);
}

TEST_CASE("summary() of a functional model lists inputs and connections") {
  const std::string text = summary(small_resnet);
  CHECK(text.find("input_1 (InputLayer)            [(None, 32, 32, 3)]  0           []") !=
        std::string::npos);
  CHECK(
      text.find("add (Add)                       (None, 32, 32, 16)   0           conv2d[0][0]") !=
      std::string::npos);
  CHECK(text.find("conv2d_2[0][0]") != std::string::npos);
  CHECK(text.find("Total params: 19,850\n") != std::string::npos);
  CHECK(with_thousands(138'357'544) == "138,357,544");
  CHECK(with_thousands(0) == "0");
}

TEST_CASE("to_dot() draws every layer and every edge, as Keras's model_to_dot") {
  const std::string dot = to_dot(small_inception);
  CHECK(dot.rfind("digraph \"small_inception\" {", 0) == 0);
  CHECK(dot.find("rankdir=TB;") != std::string::npos);
  CHECK(dot.find("n10 [label=\"concatenate: Concatenate\"];") != std::string::npos);
  CHECK(dot.find("n2 -> n3;") != std::string::npos);
  CHECK(dot.find("input:") == std::string::npos);  // no shapes unless asked
  std::size_t edges = 0;
  for (std::size_t at = dot.find("->"); at != std::string::npos; at = dot.find("->", at + 2))
    ++edges;
  CHECK(edges == 15);  // 11 single-input layers and a 4-way Concatenate
}

TEST_CASE("to_dot()'s options: shapes as Keras prints them, names, trainable, direction") {
  PlotOptions options;
  options.show_shapes = true;
  const std::string shapes = to_dot(small_inception, options);
  // An InputLayer's shapes and a merge's inputs are lists, as layer.input_shape is in Keras.
  CHECK(shapes.find("input_1: InputLayer|{input:|output:}|{{[(None, 32, 32, 3)]}|{[(None, 32, "
                    "32, 3)]}}") != std::string::npos);
  CHECK(shapes.find("conv2d: Conv2D|{input:|output:}|{{(None, 32, 32, 3)}|{(None, 32, 32, "
                    "32)}}") != std::string::npos);
  CHECK(shapes.find("concatenate: Concatenate|{input:|output:}|{{[(None, 16, 16, 16), (None, 16, "
                    "16, 24), (None, 16, 16, 8), (None, 16, 16, 8)]}|{(None, 16, 16, 56)}}") !=
        std::string::npos);

  options = {};
  options.show_layer_names = false;
  options.show_trainable = true;
  options.rankdir = "LR";
  options.dpi = 200;
  const std::string bare = to_dot(tests::tiny_frozen, options);
  CHECK(bare.find("rankdir=LR;") != std::string::npos);
  CHECK(bare.find("dpi=200;") != std::string::npos);
  CHECK(bare.find("[label=\"N|Conv2D\"]") != std::string::npos);  // frozen
  CHECK(bare.find("[label=\"T|Dense\"]") != std::string::npos);
  CHECK(bare.find("conv2d") == std::string::npos);
}

TEST_CASE("A record label's own characters are escaped") {
  CHECK(detail::record_text("a|b{c}<d>\"e\\") == "a\\|b\\{c\\}\\<d\\>\\\"e\\\\");
}
