// A short run of the real trainer on a real MNIST subset lowers the loss, and the same seed
// gives bit-identical weights.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "examples/mnist_cnn.hpp"
#include "mnist_cnn_inference.h"
#include "mnist_cnn_train_step.h"
#include "runtime/train/trainer.hpp"

using namespace cnn;
using namespace cnn::runtime;

namespace {
std::string mnist_dir() {
  const char* env = std::getenv("CNN_MNIST_DIR");
  return env != nullptr ? env : CNN_DEFAULT_MNIST_DIR;
}
const ModelInfo& info() {
  static const ModelInfo m = ModelInfo::of(examples::mnist_cnn);
  return m;
}
const ModelKernels kernels{mnist_cnn_inference, mnist_cnn_train_step};
}  // namespace

TEST_CASE("training mnist_cnn on a real MNIST subset lowers the loss") {
  const TrainTest data =
      load_directory(mnist_dir(), 28, 28, 1);  // scripts/fetch_mnist.sh puts it there
  REQUIRE(data.train.size() == 60000);
  REQUIRE(data.test.size() == 10000);
  const Dataset train = data.train.slice(0, 1280);
  const Dataset held_out = data.test.slice(0, 500);

  Trainer trainer(info(), kernels, initial_weights(info(), 1),
                  Optimizer(OptimizerConfig::keras_default("rmsprop"), info()));
  const Evaluation before = trainer.evaluate(held_out, 128);
  Progress quiet(stderr, false);
  FitOptions options;
  options.epochs = 2;
  options.batch_size = 64;
  trainer.fit(train, nullptr, options, quiet);
  const auto& history = trainer.history();
  const Evaluation after = trainer.evaluate(held_out, 128);
  REQUIRE(history.size() == 2);
  CHECK(history[1].loss < history[0].loss);
  CHECK(after.loss < 0.7 * before.loss);
  CHECK(after.accuracy > 0.75);
  CHECK(before.accuracy < 0.3);  // the untrained model guesses
}

TEST_CASE("the same seed, data and threads give bit-identical weights") {
  const TrainTest data = load_directory(mnist_dir(), 28, 28, 1);
  const Dataset train = data.train.slice(0, 512);
  auto run = [&] {
    Trainer t(info(), kernels, initial_weights(info(), 5),
              Optimizer(OptimizerConfig::keras_default("adam"), info()));
    Progress quiet(stderr, false);
    FitOptions options;
    options.epochs = 1;
    options.batch_size = 128;
    options.seed = 5;
    t.fit(train, nullptr, options, quiet);
    return t.weights().params;
  };
  const auto a = run(), b = run();
  CHECK(a == b);
}
