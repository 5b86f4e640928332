#include "runtime/cli.hpp"

#include <CLI/CLI.hpp>
#include <HalideRuntime.h>
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "runtime/checkpoint.hpp"
#include "runtime/error.hpp"
#include "runtime/memory.hpp"
#include "runtime/trainer.hpp"

namespace cnn::runtime {

namespace {

struct Flags {
  std::string data, weights, initial_weights, save, metrics_json, dot;
  int epochs = 12, batch_size = 128, threads = 0, count = 10;
  std::string optimizer = "rmsprop";
  std::optional<float> lr;
  double validation_split = 0.2;
  std::uint64_t seed = 42;
  bool shuffle = true;
  long long max_steps = -1;
};

void check_shape(const Dataset& d, const ModelInfo& model) {
  const Shape s = model.input_shape();
  if (d.height != s.height || d.width != s.width || d.channels != s.channels)
    throw Error(fmt::format("{}: images are {}x{}x{}, but model {} takes {}x{}x{}", d.source,
                            d.height, d.width, d.channels, model.name, s.height, s.width,
                            s.channels));
  if (d.classes != model.classes())
    throw Error(fmt::format("{}: {} classes, but model {} predicts {}", d.source, d.classes,
                            model.name, model.classes()));
}

void set_threads(int threads) {
  if (threads < 0) throw Error("--threads must be positive");
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  halide_set_num_threads(n);
}

void write_json(const std::string& path, const nlohmann::json& j) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << '\n';
    if (!out) throw Error(fmt::format("{}: cannot write", path));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error(fmt::format("{}: cannot write", path));
}

Weights starting_weights(const ModelInfo& model, const Flags& f) {
  if (f.initial_weights.empty()) return initial_weights(model, f.seed);
  return load_checkpoint(f.initial_weights, model).weights;
}

int run_train(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  if (!(f.validation_split >= 0.0 && f.validation_split < 1.0))
    throw Error(fmt::format("--validation-split must be in [0, 1), got {}", f.validation_split));
  if (f.epochs < 1) throw Error("--epochs must be at least 1");
  if (f.batch_size < 1) throw Error("--batch-size must be at least 1");
  if (!f.save.empty()) {  // fail now rather than after hours of training
    std::ofstream probe(f.save + ".tmp");
    if (!probe) throw Error(fmt::format("{}: cannot write there", f.save));
    probe.close();
    std::remove((f.save + ".tmp").c_str());
  }
  set_threads(f.threads);
  OptimizerConfig config = OptimizerConfig::keras_default(f.optimizer, f.lr);
  Weights weights = starting_weights(model, f);
  TrainTest data = load_directory(f.data);
  check_shape(data.train, model);
  // Keras's validation_split holds out the last fraction, before any shuffling.
  const auto held_out = static_cast<std::size_t>(data.train.size() * f.validation_split);
  const Dataset train = data.train.slice(0, data.train.size() - held_out);
  const Dataset validation = data.train.slice(data.train.size() - held_out, data.train.size());
  fmt::print("Training {} on {} samples, validating on {} ({} optimizer, learning rate {}, batch {})\n",
             model.name, train.size(), validation.size(), config.name, config.learning_rate,
             f.batch_size);

  Trainer trainer(model, kernels, std::move(weights), Optimizer(config, model));
  Progress progress = Progress::for_stdout();
  FitOptions options;
  options.epochs = f.epochs;
  options.batch_size = f.batch_size;
  options.seed = f.seed;
  options.shuffle = f.shuffle;
  options.max_steps = f.max_steps;
  const auto history = trainer.fit(train, held_out > 0 ? &validation : nullptr, options, progress);

  nlohmann::json metrics;
  metrics["model"] = model.name;
  metrics["optimizer"] = config.name;
  metrics["batch_size"] = f.batch_size;
  double seconds = 0, images = 0;
  for (const EpochLog& e : history) {
    nlohmann::json row = {{"epoch", e.epoch}, {"loss", e.loss}, {"accuracy", e.accuracy},
                          {"seconds", e.seconds}, {"images_per_second", e.images_per_second}};
    if (e.val_loss) row["val_loss"] = *e.val_loss;
    if (e.val_accuracy) row["val_accuracy"] = *e.val_accuracy;
    metrics["epochs"].push_back(row);
    seconds += e.seconds;
    images += e.images_per_second * e.seconds;
  }
  metrics["train_images_per_second"] = seconds > 0 ? images / seconds : 0.0;
  if (data.test.size() > 0) {
    check_shape(data.test, model);
    const Evaluation test = trainer.evaluate(data.test, f.batch_size);
    metrics["test_loss"] = test.loss;
    metrics["test_accuracy"] = test.accuracy;
    fmt::print("Test loss: {:.4f} - test accuracy: {:.4f}\n", test.loss, test.accuracy);
  }
  if (!f.save.empty()) {
    save_checkpoint(f.save, model, trainer.weights(), history.empty() ? 0 : history.back().epoch,
                    &trainer.optimizer());
    fmt::print("Saved weights to {}\n", f.save);
  }
  if (!f.metrics_json.empty()) {
    write_json(f.metrics_json, metrics);
    fmt::print("Wrote metrics to {}\n", f.metrics_json);
  }
  return 0;
}

// Saved weights and the test set, as evaluate and predict use them.
struct TrainedModel {
  TrainTest data;
  Trainer trainer;
};

TrainedModel load_trained(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  set_threads(f.threads);
  SavedState saved = load_checkpoint(f.weights, model);
  TrainTest data = load_directory(f.data);
  if (data.test.size() == 0) throw Error(fmt::format("{}: no test set (t10k-images/labels)", f.data));
  check_shape(data.test, model);
  return {std::move(data), Trainer(model, kernels, std::move(saved.weights),
                                   Optimizer(OptimizerConfig::keras_default("sgd"), model))};
}

int run_evaluate(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  const TrainedModel loaded = load_trained(model, kernels, f);
  const Dataset& test = loaded.data.test;
  const Evaluation e = loaded.trainer.evaluate(test, f.batch_size);
  fmt::print("Test loss: {:.4f} - test accuracy: {:.4f} ({} samples)\n", e.loss, e.accuracy, test.size());
  if (!f.metrics_json.empty())
    write_json(f.metrics_json, {{"model", model.name}, {"test_loss", e.loss}, {"test_accuracy", e.accuracy}});
  return 0;
}

int run_predict(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  if (f.count < 1) throw Error("--count must be at least 1");
  const TrainedModel loaded = load_trained(model, kernels, f);
  const Dataset& test = loaded.data.test;
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(f.count), test.size());
  const std::vector<float> p = loaded.trainer.predict(test, 0, count, f.batch_size);
  const int classes = model.classes();
  fmt::print("{:>6} {:>5} {:>9} {:>11}\n", "index", "label", "predicted", "probability");
  for (std::size_t i = 0; i < count; ++i) {
    const float* row = p.data() + i * static_cast<std::size_t>(classes);
    const auto best = std::max_element(row, row + classes) - row;
    fmt::print("{:>6} {:>5} {:>9} {:>11.4f}\n", i, test.labels[i], best, row[best]);
  }
  return 0;
}

}  // namespace

int trainer_main(int argc, char** argv, const ModelInfo& model, const ModelKernels& kernels) {
  CLI::App app{fmt::format("Train, evaluate and run the {} model", model.name), model.name};
  app.require_subcommand(1);
  Flags f;

  auto* summary = app.add_subcommand("summary", "Print the model's layers, shapes and parameters");
  summary->add_option("--dot", f.dot, "Also write the model graph as Graphviz DOT to this file");

  auto* train = app.add_subcommand("train", "Train the model");
  train->add_option("--data", f.data, "Directory of the data set")->required();
  train->add_option("--epochs", f.epochs, "Passes over the training set")->capture_default_str();
  train->add_option("--batch-size", f.batch_size, "Samples per step")->capture_default_str();
  train->add_option("--optimizer", f.optimizer, "sgd, rmsprop, adam or adadelta")
      ->capture_default_str()
      ->check(CLI::IsMember({"sgd", "rmsprop", "adam", "adadelta"}));
  train->add_option("--lr", f.lr, "Learning rate (default: Keras's for the optimizer)");
  train->add_option("--validation-split", f.validation_split,
                    "Fraction of the training set held out, taken from its end")
      ->capture_default_str();
  train->add_option("--seed", f.seed, "Seed of initialization, shuffling and dropout")->capture_default_str();
  train->add_option("--shuffle", f.shuffle, "Reshuffle every epoch (true|false)")->capture_default_str();
  train->add_option("--max-steps", f.max_steps, "Stop after this many steps");
  train->add_option("--initial-weights", f.initial_weights, "Start from these weights");
  train->add_option("--save", f.save, "Write the trained weights here (safetensors)");
  train->add_option("--metrics-json", f.metrics_json, "Write per-epoch and test metrics here");
  train->add_option("--threads", f.threads, "Threads (default: all cores)");

  auto* evaluate = app.add_subcommand("evaluate", "Loss and accuracy on the test set");
  evaluate->add_option("--data", f.data, "Directory of the data set")->required();
  evaluate->add_option("--weights", f.weights, "Weights file (safetensors)")->required();
  evaluate->add_option("--metrics-json", f.metrics_json, "Write the metrics here");
  evaluate->add_option("--batch-size", f.batch_size, "Samples per kernel call")->capture_default_str();
  evaluate->add_option("--threads", f.threads, "Threads (default: all cores)");

  auto* predict = app.add_subcommand("predict", "Predict the first test images' classes");
  predict->add_option("--data", f.data, "Directory of the data set")->required();
  predict->add_option("--weights", f.weights, "Weights file (safetensors)")->required();
  predict->add_option("--count", f.count, "How many images")->capture_default_str();
  predict->add_option("--threads", f.threads, "Threads (default: all cores)");

  keep_freed_memory_for_reuse();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*summary) {
      fmt::print("{}", model.summary);
      if (!f.dot.empty()) {
        std::ofstream out(f.dot);
        out << model.dot;
        if (!out) throw Error(fmt::format("{}: cannot write", f.dot));
      }
      return 0;
    }
    if (*train) return run_train(model, kernels, f);
    if (*evaluate) return run_evaluate(model, kernels, f);
    return run_predict(model, kernels, f);
  } catch (const Error& e) {
    fmt::print(stderr, "{}: error: {}\n", model.name, e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}: error: out of memory\n", model.name);
    return 1;
  }
}

}  // namespace cnn::runtime
