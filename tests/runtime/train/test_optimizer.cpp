// One update of each optimizer against its formula computed by hand, and one whole SGD
// training step (generated gradients, then the update) against w - lr * g.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "examples/mnist_cnn.hpp"
#include "runtime/train/optimizer.hpp"
#include "runtime/train/trainer.hpp"
#include "tests/support/kernel_harness.hpp"
#include "tests/support/tiny_models.hpp"
#include "tiny_conv_inference.h"
#include "tiny_conv_train_step.h"

using namespace cnn;
using namespace cnn::runtime;

namespace {
const ModelInfo& tiny_info() {
  static const ModelInfo info = ModelInfo::of(tests::tiny_conv);
  return info;
}
AlignedFloats ramp(std::size_t n, float scale, float offset) {
  AlignedFloats v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = offset + scale * std::sin(0.37f * float(i));
  return v;
}
}  // namespace

TEST_CASE("SGD, with momentum and Nesterov, updates as Keras's formulas say") {
  const ModelInfo& m = tiny_info();
  const std::size_t n = m.table.params_size;
  const AlignedFloats w0 = ramp(n, 0.5f, 0.1f), g = ramp(n, 0.2f, -0.05f);

  OptimizerConfig plain = OptimizerConfig::keras_default("sgd", 0.1f);
  Optimizer sgd(plain, m);
  AlignedFloats w = w0;
  sgd.apply(w, g);
  for (std::size_t i = 0; i < n; ++i) CHECK(w[i] == Approx(w0[i] - 0.1f * g[i]).margin(1e-7));

  OptimizerConfig momentum = plain;
  momentum.decay_a = 0.9f;
  for (bool nesterov : {false, true}) {
    momentum.nesterov = nesterov;
    Optimizer opt(momentum, m);
    AlignedFloats w1 = w0;
    opt.apply(w1, g);  // v = -lr g
    opt.apply(w1, g);  // v = 0.9 v - lr g
    for (std::size_t i = 0; i < n; i += 7) {
      const float v1 = -0.1f * g[i], v2 = 0.9f * v1 - 0.1f * g[i];
      const float want = nesterov ? w0[i] + (0.9f * v1 - 0.1f * g[i]) + (0.9f * v2 - 0.1f * g[i])
                                  : w0[i] + v1 + v2;
      CHECK(w1[i] == Approx(want).margin(1e-6));
    }
  }
}

TEST_CASE("RMSprop, Adam and Adadelta take Keras's first step") {
  const ModelInfo& m = tiny_info();
  const std::size_t n = m.table.params_size;
  const AlignedFloats w0 = ramp(n, 0.5f, 0.1f), g = ramp(n, 0.2f, -0.05f);
  for (const std::string name : {"rmsprop", "adam", "adadelta"}) {
    INFO(name);
    const OptimizerConfig c = OptimizerConfig::keras_default(name);
    Optimizer opt(c, m);
    AlignedFloats w = w0;
    opt.apply(w, g);
    for (std::size_t i = 0; i < n; i += 5) {
      double want;
      if (name == "rmsprop") {
        const double a = 0.1 * g[i] * g[i];
        want = w0[i] - 0.001 * g[i] / (std::sqrt(a) + 1e-7);
      } else if (name == "adam") {
        const double mom = 0.1 * g[i], v = 0.001 * g[i] * g[i];
        const double lr = 0.001 * std::sqrt(1 - 0.999) / (1 - 0.9);
        want = w0[i] - lr * mom / (std::sqrt(v) + 1e-7);
      } else {
        const double a = 0.05 * g[i] * g[i];
        const double u = std::sqrt(0 + 1e-7) / std::sqrt(a + 1e-7) * g[i];
        want = w0[i] - 0.001 * u;
      }
      CHECK(w[i] == Approx(want).epsilon(1e-5).margin(1e-7));
    }
  }
}

TEST_CASE("frozen layers keep their weights and their optimizer's slots") {
  const ModelInfo& m = tiny_info();
  const Node& first_layer = m.nodes[1];
  const TensorSlot& kernel = *m.table.find(1, TensorRole::kernel);
  const TensorSlot& bias = *m.table.find(1, TensorRole::bias);
  for (const std::string name : {"sgd", "rmsprop", "adam", "adadelta"}) {
    INFO(name);
    Optimizer opt(OptimizerConfig::keras_default(name, 0.1f), m);
    opt.set_trainable(m, first_layer.name.view(), false);
    CHECK_FALSE(opt.trainable(kernel.offset));
    CHECK_FALSE(opt.trainable(bias.offset + bias.size - 1));
    AlignedFloats w(m.table.params_size, 1.0f), g(m.table.params_size, 1.0f);
    REQUIRE(opt.apply(w, g));
    for (const TensorSlot* s : {&kernel, &bias}) {
      CHECK(w[s->offset] == 1.0f);
      CHECK(w[s->offset + s->size - 1] == 1.0f);
      CHECK(opt.slot_a[s->offset] == 0.0f);
      CHECK(opt.slot_b[s->offset + s->size - 1] == 0.0f);
    }
    // The next layer's parameters moved, in the same call.
    const std::size_t next = std::max(kernel.offset + kernel.size, bias.offset + bias.size);
    REQUIRE(next < w.size());
    CHECK(opt.trainable(next));
    CHECK(w[next] < 1.0f);
    CHECK(w.back() < 1.0f);
    opt.set_trainable(m, first_layer.name.view(), true);
    REQUIRE(opt.apply(w, g));
    CHECK(w[kernel.offset] < 1.0f);
  }
  Optimizer opt(OptimizerConfig::keras_default("sgd"), m);
  CHECK_THROWS_WITH(opt.set_trainable(m, "no_such_layer", false),
                    Catch::Contains("has no layer 'no_such_layer'"));
}

TEST_CASE("an update that would make any parameter non-finite changes nothing") {
  // mnist_cnn's 1.2 million parameters take the update several chunks: the bad one is last.
  const ModelInfo m = ModelInfo::of(examples::mnist_cnn);
  const std::size_t n = m.table.params_size;
  REQUIRE(n > 1000000);
  const AlignedFloats w0 = ramp(n, 0.5f, 0.1f);
  for (const std::string name : {"sgd", "rmsprop", "adam", "adadelta"}) {
    INFO(name);
    Optimizer opt(OptimizerConfig::keras_default(name, 100.0f), m);
    AlignedFloats w = w0, g = ramp(n, 0.2f, -0.05f);
    REQUIRE(opt.apply(w, g));  // a good first step: the slots hold something
    const AlignedFloats w1 = w, a1 = opt.slot_a, b1 = opt.slot_b;
    for (const float bad : {std::numeric_limits<float>::infinity(), std::nanf("")}) {
      g.back() = bad;
      CHECK_FALSE(opt.apply(w, g));
      // Compared whole, not printed whole on failure: a million values.
      const bool unchanged = w == w1 && opt.slot_a == a1 && opt.slot_b == b1;
      CHECK(unchanged);
      CHECK(opt.iterations() == 1);
    }
    // A finite gradient whose step overflows: SGD's w - lr g past the largest float.
    if (name == "sgd") {
      g.back() = 1e37f;
      CHECK_FALSE(opt.apply(w, g));
      const bool unchanged = w == w1;
      CHECK(unchanged);
    }
    g.back() = 0.01f;
    CHECK(opt.apply(w, g));
    CHECK(opt.iterations() == 2);
    const bool moved = w != w1;
    CHECK(moved);
  }
}

TEST_CASE("one training step with SGD moves the weights by -lr times the generated gradient") {
  const ModelInfo& m = tiny_info();
  const ModelKernels kernels{tiny_conv_inference, tiny_conv_train_step};
  const Weights w0 = tests::random_weights(m, 4);
  const tests::Batch b = tests::random_batch(m, 6, 8);
  const tests::KernelStep step = tests::run_train_step(m, kernels, w0, b, 42, 0);

  Dataset data;
  data.height = 7;
  data.width = 6;
  data.channels = 2;
  data.classes = 3;
  data.pixels = b.images;
  data.labels = b.labels;
  Trainer trainer(m, kernels, w0, Optimizer(OptimizerConfig::keras_default("sgd", 0.05f), m));
  const auto order = epoch_order(data.size(), 0, 0, false);
  const auto [loss, correct] = trainer.train_step(data, order, 0, data.size(), 42);
  CHECK(loss == Approx(step.loss));
  CHECK(correct == step.correct);
  for (std::size_t i = 0; i < w0.params.size(); ++i)
    CHECK(trainer.weights().params[i] ==
          Approx(w0.params[i] - 0.05f * step.gradients[i]).margin(1e-7));
}

TEST_CASE("an optimizer holds its slots from its first update or save, not before") {
  const ModelInfo& m = tiny_info();
  const std::size_t n = m.table.params_size;
  Optimizer adam(OptimizerConfig::keras_default("adam"), m);
  CHECK(adam.slot_a.empty());  // evaluating and predicting never pay for them
  CHECK(adam.slot_b.empty());
  const OptimizerState saved = adam.state();  // a fresh state saves as zeros
  CHECK(saved.slot_a.size() == n);
  CHECK(saved.slot_b.size() == n);
  CHECK(std::all_of(saved.slot_b.begin(), saved.slot_b.end(), [](float v) { return v == 0; }));

  Optimizer fresh(OptimizerConfig::keras_default("adam"), m);
  AlignedFloats w = ramp(n, 0.5f, 0.1f);
  CHECK(fresh.apply(w, ramp(n, 0.2f, -0.05f)));
  CHECK(fresh.slot_a.size() == n);
  CHECK(fresh.slot_a[0] != 0);  // Adam's first moment moved
}

TEST_CASE("an unknown optimizer or a non-positive rate is refused with a clear message") {
  CHECK_THROWS_WITH(OptimizerConfig::keras_default("adamw"),
                    Catch::Contains("unknown optimizer 'adamw'"));
  CHECK_THROWS_WITH(OptimizerConfig::keras_default("adam", -1.0f),
                    Catch::Contains("--lr must be positive"));
}

TEST_CASE("epochs are reshuffled, reproducibly") {
  const auto a = epoch_order(1000, 7, 0, true), b = epoch_order(1000, 7, 0, true);
  const auto c = epoch_order(1000, 7, 1, true), plain = epoch_order(1000, 7, 0, false);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(plain[999] == 999);
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == plain);
}

TEST_CASE("buffers of the wrong size are refused before any kernel reads them") {
  const ModelInfo& m = tiny_info();
  Optimizer opt(OptimizerConfig::keras_default("sgd"), m);
  AlignedFloats w(m.table.params_size), g(m.table.params_size - 1);  // one short
  CHECK_THROWS_WITH(opt.apply(w, g), Catch::Contains("holds 276 parameters but got 276 "
                                                     "parameters and 275 gradients"));
  // A kernel's own check fails with Halide's reason as the runtime's Error, not an abort.
  Weights short_weights = initial_weights(m, 1);
  short_weights.params.pop_back();
  const Trainer trainer(m, ModelKernels{tiny_conv_inference, tiny_conv_train_step}, short_weights,
                        Optimizer(OptimizerConfig::keras_default("sgd"), m));
  const tests::Batch b = tests::random_batch(m, 2, 1);
  Dataset data;
  data.height = 7;
  data.width = 6;
  data.channels = 2;
  data.classes = 3;
  data.pixels = b.images;
  data.labels = b.labels;
  CHECK_THROWS_WITH(
      trainer.predict(data, 0, 2, 2),
      Catch::Contains("the generated inference kernel failed") && Catch::Contains("params"));
}
