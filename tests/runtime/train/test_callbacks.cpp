// EarlyStopping, ModelCheckpoint and ReduceLROnPlateau behave as Keras's do, fed made-up
// epoch logs; checkpoint paths fill in their fields.
#include <catch2/catch.hpp>

#include "runtime/error.hpp"
#include "runtime/train/callbacks.hpp"
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

Trainer tiny_trainer(float lr = 0.01f) {
  const ModelInfo& m = tiny_info();
  return Trainer(m, ModelKernels{tiny_conv_inference, tiny_conv_train_step}, initial_weights(m, 1),
                 Optimizer(OptimizerConfig::keras_default("adam", lr), m));
}

EpochLog epoch(int n, double val_loss, double val_accuracy = 0.5) {
  EpochLog log;
  log.epoch = n;
  log.loss = 1.0 / n;
  log.accuracy = 0.1 * n;
  log.val_loss = val_loss;
  log.val_accuracy = val_accuracy;
  return log;
}

}  // namespace

TEST_CASE("EarlyStopping stops after `patience` epochs without improvement") {
  Trainer trainer = tiny_trainer();
  EarlyStoppingCallback stop({.monitor = "val_loss", .patience = 2}, true);
  CHECK(stop.on_epoch_end(epoch(1, 0.5), trainer));
  CHECK(stop.on_epoch_end(epoch(2, 0.4), trainer));
  CHECK(stop.on_epoch_end(epoch(3, 0.45), trainer));  // 1 without improvement
  CHECK(stop.on_epoch_end(epoch(4, 0.39), trainer));  // improved: the count starts over
  CHECK(stop.on_epoch_end(epoch(5, 0.41), trainer));
  CHECK_FALSE(stop.on_epoch_end(epoch(6, 0.40), trainer));
  CHECK(stop.stopped_epoch() == 6);
}

TEST_CASE("EarlyStopping's min_delta and mode decide what counts as an improvement") {
  Trainer trainer = tiny_trainer();
  EarlyStoppingCallback by_accuracy({.monitor = "val_accuracy", .min_delta = 0.01, .patience = 0},
                                    true);
  CHECK(by_accuracy.on_epoch_end(epoch(1, 1.0, 0.50), trainer));
  CHECK(by_accuracy.on_epoch_end(epoch(2, 1.0, 0.52), trainer));         // up by more than 0.01
  CHECK_FALSE(by_accuracy.on_epoch_end(epoch(3, 1.0, 0.525), trainer));  // up, but by less
  EarlyStoppingCallback max_loss({.monitor = "loss", .patience = 0, .mode = "max"}, false);
  CHECK(max_loss.on_epoch_end(epoch(1, 0), trainer));
  CHECK_FALSE(max_loss.on_epoch_end(epoch(2, 0), trainer));  // loss 1/2 < 1: worse when max
}

TEST_CASE("EarlyStopping with restore_best_weights puts the best epoch's weights back") {
  Trainer trainer = tiny_trainer();
  EarlyStoppingCallback stop({.patience = 1, .restore_best_weights = true}, true);
  trainer.weights().params[0] = 1.0f;
  stop.on_epoch_end(epoch(1, 0.3), trainer);
  trainer.weights().params[0] = 2.0f;
  stop.on_epoch_end(epoch(2, 0.2), trainer);  // the best
  trainer.weights().params[0] = 3.0f;
  CHECK_FALSE(stop.on_epoch_end(epoch(3, 0.25), trainer));
  stop.on_train_end(trainer);
  CHECK(trainer.weights().params[0] == 2.0f);
}

TEST_CASE("callbacks resumed from their saved state go on as the uninterrupted ones") {
  Trainer trainer = tiny_trainer(0.01f);
  const EarlyStopping stopping{.patience = 2, .restore_best_weights = true};
  const ReduceLROnPlateau reducing{.factor = 0.5, .patience = 2};
  EarlyStoppingCallback stop(stopping, true);
  ReduceLROnPlateauCallback reduce(reducing, true);
  trainer.weights().params[0] = 1.0f;
  for (auto* c : std::initializer_list<Callback*>{&stop, &reduce})
    c->on_epoch_end(epoch(1, 0.3), trainer);
  trainer.weights().params[0] = 2.0f;
  for (auto* c : std::initializer_list<Callback*>{&stop, &reduce})
    c->on_epoch_end(epoch(2, 0.35), trainer);
  CallbackState state;
  stop.save_state(state);
  reduce.save_state(state);
  // A round trip through the JSON text a whole-model file keeps.
  state.values = nlohmann::json::parse(state.values.dump());

  EarlyStoppingCallback resumed_stop(stopping, true);
  ReduceLROnPlateauCallback resumed_reduce(reducing, true);
  resumed_stop.restore_state(state);
  resumed_reduce.restore_state(state);
  trainer.weights().params[0] = 3.0f;
  // Epoch 3 is the second without improvement: both act, as they would have uninterrupted.
  CHECK(resumed_reduce.on_epoch_end(epoch(3, 0.4), trainer));
  CHECK(trainer.optimizer().learning_rate() == Approx(0.005));
  CHECK_FALSE(resumed_stop.on_epoch_end(epoch(3, 0.4), trainer));
  resumed_stop.on_train_end(trainer);
  CHECK(trainer.weights().params[0] == 1.0f);  // epoch 1's, from the saved state

  CallbackState empty;  // a run saved without them: they start afresh
  EarlyStoppingCallback fresh(stopping, true);
  fresh.restore_state(empty);
  CHECK(fresh.on_epoch_end(epoch(1, 0.9), trainer));
}

TEST_CASE("ModelCheckpoint saves every epoch, or only the improving ones, at the formatted path") {
  Trainer trainer = tiny_trainer();
  std::vector<std::string> saved;
  bool weights_only = false;
  auto save = [&](const std::string& path, bool only, int) {
    saved.push_back(path);
    weights_only = only;
  };
  ModelCheckpointCallback every({.filepath = "w-{epoch:02d}.st"}, true, save);
  every.on_epoch_end(epoch(1, 0.5), trainer);
  every.on_epoch_end(epoch(2, 0.6), trainer);
  CHECK(saved == std::vector<std::string>{"w-01.st", "w-02.st"});
  saved.clear();
  ModelCheckpointCallback best(
      {.filepath = "best-{val_loss:.2f}.st", .save_best_only = true, .save_weights_only = true},
      true, save);
  best.on_epoch_end(epoch(1, 0.5), trainer);
  best.on_epoch_end(epoch(2, 0.6), trainer);
  best.on_epoch_end(epoch(3, 0.25), trainer);
  CHECK(saved == std::vector<std::string>{"best-0.50.st", "best-0.25.st"});
  CHECK(weights_only);
}

TEST_CASE("ReduceLROnPlateau multiplies the learning rate by factor, down to min_lr") {
  Trainer trainer = tiny_trainer(0.01f);
  ReduceLROnPlateauCallback reduce({.factor = 0.5, .patience = 1, .min_lr = 0.003}, true);
  reduce.on_epoch_end(epoch(1, 0.5), trainer);
  CHECK(trainer.optimizer().learning_rate() == Approx(0.01));
  reduce.on_epoch_end(epoch(2, 0.5), trainer);  // no improvement, patience 1
  CHECK(trainer.optimizer().learning_rate() == Approx(0.005));
  reduce.on_epoch_end(epoch(3, 0.5), trainer);
  CHECK(trainer.optimizer().learning_rate() == Approx(0.003));  // clamped
  reduce.on_epoch_end(epoch(4, 0.4), trainer);
  reduce.on_epoch_end(epoch(5, 0.4), trainer);
  CHECK(trainer.optimizer().learning_rate() == Approx(0.003));
  CHECK_THROWS_WITH(ReduceLROnPlateauCallback({.factor = 1.5, .patience = 1}, true),
                    Catch::Contains("factor must be in (0, 1)"));
}

TEST_CASE("a monitored metric must exist, and val_ metrics need a validation set") {
  CHECK_THROWS_WITH(Monitor("val_acc", "auto", 0, true),
                    Catch::Contains("cannot monitor 'val_acc'"));
  CHECK_THROWS_WITH(Monitor("val_loss", "auto", 0, false),
                    Catch::Contains("without a validation set"));
  CHECK_THROWS_WITH(Monitor("loss", "lowest", 0, false), Catch::Contains("not auto, min or max"));
  CHECK(Monitor("val_accuracy", "auto", 0, true).improves(0.6, 0.5));
  CHECK(Monitor("val_loss", "auto", 0, true).improves(0.4, 0.5));
}

TEST_CASE("checkpoint paths take Python-style fields and refuse unknown ones") {
  CHECK(checkpoint_path("m-{epoch:03d}-{val_loss:.3f}.safetensors", epoch(7, 0.12345)) ==
        "m-007-0.123.safetensors");
  CHECK(checkpoint_path("plain.safetensors", epoch(1, 0)) == "plain.safetensors");
  CHECK_THROWS_WITH(checkpoint_path("m-{step}.st", epoch(1, 0)),
                    Catch::Contains("checkpoint path 'm-{step}.st'"));
}

namespace {
// Asks training to stop once epoch `at` has ended, and keeps the weights it ended with.
struct InterruptAfter : Callback {
  int at;
  std::atomic<bool>* flag;
  Weights seen;
  InterruptAfter(int epoch, std::atomic<bool>* f) : at(epoch), flag(f) {}
  bool on_epoch_end(const EpochLog& log, Trainer& trainer) override {
    if (log.epoch == at) {
      flag->store(true);
      seen = trainer.weights();
    }
    return true;
  }
};
}  // namespace

TEST_CASE(
    "an interrupted fit keeps the current weights for resuming: no callback restores others") {
  Trainer trainer = tiny_trainer();
  Dataset data;
  data.height = 7, data.width = 6, data.channels = 2, data.classes = 3;
  for (int i = 0; i < 16; ++i) data.labels.push_back(static_cast<std::uint8_t>(i % 3));
  for (std::size_t i = 0; i < 16 * data.image_elements(); ++i)
    data.pixels.push_back(static_cast<float>(i % 11) / 11.0f);
  std::atomic<bool> interrupt{false};
  // Only epoch 1 can improve: restore_best_weights would bring back epoch 1's weights.
  EarlyStoppingCallback stop({.monitor = "loss",
                              .min_delta = 1e9,
                              .patience = 10,
                              .mode = "max",
                              .restore_best_weights = true},
                             false);
  InterruptAfter pause(2, &interrupt);
  std::vector<Callback*> callbacks{&stop, &pause};
  FitOptions options;
  options.epochs = 5;
  options.batch_size = 8;
  options.interrupt = &interrupt;
  Progress quiet(stderr, false);
  const FitResult result = trainer.fit(data, nullptr, options, quiet, callbacks);
  CHECK(result.end == FitEnd::interrupted);
  CHECK(result.epochs_done == 2);
  CHECK(result.steps_into_epoch == 0);
  CHECK(trainer.weights().params == pause.seen.params);
}
