// `train`: fit the model as the recipe and the flags say, with callbacks, resuming and
// transfer learning, then write the history, its plots, the test metrics and the weights.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "runtime/cli/commands.hpp"
#include "runtime/error.hpp"
#include "runtime/model/checkpoint.hpp"
#include "runtime/report/history.hpp"
#include "runtime/report/plots.hpp"
#include "runtime/train/callbacks.hpp"
#include "runtime/train/distributed.hpp"
#include "runtime/train/interrupt.hpp"
#include "runtime/train/trainer.hpp"

namespace cnn::runtime {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_names(std::string_view list) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= list.size() && !list.empty()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) names.emplace_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

// Fail before training, not after hours of it, where a file cannot be written.
void check_writable_dir(const fs::path& dir, const std::string& what) {
  const fs::path d = dir.empty() ? fs::path(".") : dir;
  std::error_code ec;
  fs::create_directories(d, ec);
  const fs::path probe = d / ".cnn-write-probe";
  {
    std::ofstream out(probe);
    if (!out) throw Error(fmt::format("{}: cannot write there ({})", d.string(), what));
  }
  fs::remove(probe, ec);
}

void check_flags(const Flags& f) {
  if (!(f.validation_split >= 0.0 && f.validation_split < 1.0))
    throw Error(fmt::format("--validation-split must be in [0, 1), got {}", f.validation_split));
  if (f.epochs < 1) throw Error("--epochs must be at least 1");
  if (f.batch_size < 1) throw Error("--batch-size must be at least 1");
  if (f.global_batch_size < 0) throw Error("--global-batch-size must be at least 1");
  if (!f.resume.empty() && !f.initial_weights.empty())
    throw Error("--resume and --initial-weights both give the starting weights: pass one");
  if (!f.save.empty()) check_writable_dir(fs::path(f.save).parent_path(), "--save");
  if (!f.metrics_json.empty())
    check_writable_dir(fs::path(f.metrics_json).parent_path(), "--metrics-json");
  if (!f.history_dir.empty()) check_writable_dir(f.history_dir, "--history-dir");
  if (!f.checkpoint_path.empty())
    check_writable_dir(fs::path(f.checkpoint_path).parent_path(), "--checkpoint");
}

// The samples one step takes over all processes: --global-batch-size, else --batch-size
// per process, else (resuming) the saved state's, so that a state goes on under another
// number of processes with the batch it was trained with.
long long global_batch_of(const Flags& f, int processes, const SavedState* resumed) {
  if (f.global_batch_size != 0 && f.batch_size_given)
    throw Error(
        "--batch-size (per process) and --global-batch-size (over all processes) both set the "
        "batch: pass one");
  const long long saved = resumed != nullptr ? resumed->position.global_batch : 0;
  long long global = f.global_batch_size;
  if (global == 0 && !f.batch_size_given) global = saved;
  if (global == 0) global = static_cast<long long>(f.batch_size) * processes;
  if (global < processes)
    throw Error(fmt::format(
        "--global-batch-size {} over {} processes: each process needs a sample of every step",
        global, processes));
  if (resumed != nullptr && resumed->position.epoch_step > 0 && saved > 0 && global != saved)
    throw Error(fmt::format(
        "{}: saved {} steps into epoch {} at a global batch of {}: that epoch goes on only at "
        "that batch (no batch flag, or --global-batch-size {}), under any number of processes",
        f.resume, resumed->position.epoch_step, resumed->position.epoch + 1, saved, saved));
  return global;
}

// "64 = 32 per process x 2 processes", or "64 over 3 processes (22 or 21 each)".
std::string batch_text(long long global, int processes) {
  if (processes == 1) return std::to_string(global);
  if (global % processes == 0)
    return fmt::format("{} = {} per process x {} processes", global, global / processes, processes);
  return fmt::format("{} over {} processes ({} or {} each)", global, processes,
                     global / processes + 1, global / processes);
}

// The validation set: the tail of the training set, the test set, or another directory's.
Dataset validation_set(const ModelInfo& model, const Flags& f, TrainTest& data) {
  if (f.validation_data == "test") {
    if (data.test.size() == 0)
      throw Error(fmt::format("--validation-data test: {} has no test set", f.data));
    return data.test;
  }
  if (!f.validation_data.empty()) {
    if (f.resplit_test > 0 || f.min_max_scale)
      throw Error(
          "--validation-data DIR with --resplit-test or --min-max-scale: the split and "
          "the scaler are fitted on --data; validate on its test set (--validation-data "
          "test) or a --validation-split");
    TrainTest other = load_for_model(f.validation_data, model, f);
    return other.test.size() > 0 ? std::move(other.test) : std::move(other.train);
  }
  // Keras's validation_split holds out the last fraction, before any shuffling.
  const auto held_out =
      static_cast<std::size_t>(static_cast<double>(data.train.size()) * f.validation_split);
  Dataset validation = data.train.slice(data.train.size() - held_out, data.train.size());
  data.train = data.train.slice(0, data.train.size() - held_out);
  return validation;
}

void write_history(const std::vector<EpochLog>& history, const std::string& dir) {
  const fs::path d(dir);
  write_text_file((d / "history.csv").string(), history_csv(history));
  write_text_file((d / "history.json").string(), history_json(history).dump(2) + "\n");
  plot_history(history, "loss", (d / "loss.png").string());
  plot_history(history, "accuracy", (d / "accuracy.png").string());
  fmt::print(
      "Wrote the history to {0}/history.csv and {0}/history.json, its curves to {0}/loss.png "
      "and {0}/accuracy.png\n",
      dir);
}

// The fit's record that a whole-model file keeps: the history and the callbacks' state.
// `sums`: those of the epoch an interruption cut short.
FitRecord record_of(const Trainer& trainer, std::span<Callback* const> callbacks,
                    const EpochSums& sums = {}) {
  CallbackState state;
  for (const Callback* c : callbacks) c->save_state(state);
  const nlohmann::json epoch_sums = {{"loss", sums.loss},
                                     {"correct", sums.correct},
                                     {"seen", sums.seen},
                                     {"seconds", sums.seconds}};
  return {history_json(trainer.history()).dump(), state.values.dump(), epoch_sums.dump(),
          std::move(state.tensors)};
}

// Puts a resumed run's record back; returns the sums of the epoch it resumes in.
EpochSums restore_record(const FitRecord& record, const std::string& path, Trainer& trainer,
                         std::span<Callback* const> callbacks) {
  try {
    trainer.set_history(history_from_json(nlohmann::json::parse(record.history)));
    CallbackState state{nlohmann::json::parse(record.callbacks), record.tensors};
    if (!state.values.is_object()) throw Error("not an object");
    for (Callback* c : callbacks) c->restore_state(state);
    const nlohmann::json sums = nlohmann::json::parse(record.epoch_sums);
    return {sums.at("loss").get<double>(), sums.at("correct").get<long long>(),
            sums.at("seen").get<long long>(), sums.at("seconds").get<double>()};
  } catch (const std::exception& e) {
    throw Error(fmt::format("{}: malformed history or callback state in its metadata ({})", path,
                            e.what()));
  }
}

}  // namespace

Flags Flags::from_recipe(const Recipe& r) {
  Flags f;
  f.optimizer = std::string(r.optimizer);
  if (r.learning_rate > 0) f.lr = static_cast<float>(r.learning_rate);
  f.loss = std::string(r.loss);
  f.epochs = r.epochs;
  f.batch_size = r.batch_size;
  f.validation_split = r.validation_split;
  if (r.validate_on_test) f.validation_data = "test";
  f.early_stopping = r.early_stopping;
  f.checkpoint = r.checkpoint;
  f.checkpoint_path = std::string(r.checkpoint.filepath);
  f.reduce_lr = r.reduce_lr;
  f.early_stopping_monitor = std::string(r.early_stopping.monitor);
  f.checkpoint_monitor = std::string(r.checkpoint.monitor);
  f.reduce_lr_monitor = std::string(r.reduce_lr.monitor);
  f.pad_to_input = r.pad_to_input;
  f.resplit_test = r.resplit_test;
  f.resplit_seed = r.resplit_seed;
  f.min_max_scale = r.min_max_scale;
  f.preprocess_input = std::string(r.preprocess_input);
  f.class_names = split_names(r.class_names);
  return f;
}

namespace {

// --freeze keeps a layer's weights as they are; the kernels still run it as they were
// built. A BatchNormalization would still normalize with the batch's statistics and update
// its moving ones, which Keras's frozen layer does not: it must be frozen in the model.
void check_run_time_freezing(const ModelInfo& model, const std::vector<std::string>& layers) {
  for (const std::string& layer : layers)
    for (const Node& node : model.nodes)
      if (node.name.view() == layer && node.kind == LayerKind::batch_normalization &&
          node.trainable)
        throw Error(fmt::format(
            "--freeze {}: a BatchNormalization layer is frozen in the model's declaration, not "
            "at run time (frozen, Keras runs it in inference mode, with its moving statistics, "
            "which these kernels would not): give it .trainable = false or freeze the layers "
            "below an index with {}.frozen_below(n)",
            layer, model.name));
}

}  // namespace

int run_train(const ModelInfo& model, const ModelKernels& kernels, Flags f) {
  if (kernels.train_step == nullptr)
    throw Error(
        fmt::format("this build of {} has its inference kernels only (add_cnn_model "
                    "INFERENCE_ONLY): predict and evaluate run, train does not",
                    model.name));
  // Under mpirun, rank 0 alone prints and writes files; the others train silently beside it.
  const Communicator& comm = Communicator::world();
  if (!comm.is_root()) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr) throw Error("cannot silence stdout");
    f.save.clear();
    f.metrics_json.clear();
    f.history_dir.clear();
  }
  check_flags(f);
  check_run_time_freezing(model, f.freeze);
  f.early_stopping.monitor = f.early_stopping_monitor;
  f.checkpoint.monitor = f.checkpoint_monitor;
  f.checkpoint.filepath = f.checkpoint_path;
  f.reduce_lr.monitor = f.reduce_lr_monitor;
  set_threads(f.threads);

  // Where training starts: fresh, from given weights, or where a whole-model file left off.
  OptimizerConfig config = OptimizerConfig::keras_default(f.optimizer, f.lr);
  TrainingPosition start{0, f.seed, 0};
  std::optional<SavedState> resumed;
  Weights weights;
  if (!f.resume.empty()) {
    resumed = load_checkpoint(f.resume, model);
    if (!resumed->same_architecture)
      throw Error(
          fmt::format("{}: holds {}, not a training state of {} (architecture {}): --resume "
                      "goes on only with the model that saved it; --initial-weights starts "
                      "from its weights",
                      f.resume, resumed->origin, model.name, model.fingerprint()));
    if (!resumed->whole_model)
      throw Error(
          fmt::format("{}: holds weights only; --resume needs a whole-model file (--save "
                      "without --save-weights-only)",
                      f.resume));
    if (resumed->position.epoch >= f.epochs) {
      // As Keras's fit(initial_epoch=epochs): nothing left to do is not a failure, so that
      // a scheduler re-running a finished job sees success.
      fmt::print("{}: already trained {} epochs (--epochs {}): nothing left to train\n", f.resume,
                 resumed->position.epoch, f.epochs);
      return 0;
    }
    config = OptimizerConfig::keras_default(resumed->optimizer);
    config.learning_rate = resumed->learning_rate;
    start = resumed->position;
    weights = std::move(resumed->weights);
  } else if (!f.initial_weights.empty() && !f.skip_mismatch) {
    weights = load_checkpoint(f.initial_weights, model).weights;
  } else {
    weights = initial_weights(model, f.seed);
  }
  // Keras's skip_mismatch: layers the file lacks or holds in another shape keep their fresh
  // initial weights, each said in one line.
  auto load_by_name = [&](const std::string& path, const std::vector<std::string>& layers) {
    const LoadedLayers l = load_layers_by_name(path, model, layers, weights, f.skip_mismatch);
    for (const std::string& why : l.skipped)
      fmt::print("Skipping a layer (--skip-mismatch): {}\n", why);
    if (l.loaded.size() > 8)  // a pretrained base: its count and its ends, not 188 names
      fmt::print("Loaded the weights of {} layers ({} ... {}) from {}\n", l.loaded.size(),
                 l.loaded.front(), l.loaded.back(), path);
    else if (!l.loaded.empty())
      fmt::print("Loaded the weights of {} from {}\n", fmt::join(l.loaded, ", "), path);
  };
  if (!f.initial_weights.empty() && f.skip_mismatch) load_by_name(f.initial_weights, {});
  if (!f.transfer_from.empty()) load_by_name(f.transfer_from, f.transfer_layers);

  const long long global_batch = global_batch_of(f, comm.size(), resumed ? &*resumed : nullptr);
  TrainTest data = load_for_model(f.data, model, f);
  const Dataset validation = validation_set(model, f, data);
  const bool have_validation = validation.size() > 0;

  Trainer trainer(model, kernels, std::move(weights), Optimizer(config, model), comm);
  if (resumed) {
    trainer.optimizer().slot_a.assign(resumed->slot_a.begin(), resumed->slot_a.end());
    trainer.optimizer().slot_b.assign(resumed->slot_b.begin(), resumed->slot_b.end());
    trainer.optimizer().iterations_ = resumed->iterations;
    trainer.set_steps_done(start.step);
  }
  for (const std::string& layer : f.freeze) trainer.optimizer().set_trainable(model, layer, false);

  std::vector<Callback*> callbacks;
  std::string last_checkpoint;
  bool said_weights_only = false;
  auto save_at = [&](const std::string& path, bool weights_only, TrainingPosition at,
                     const EpochSums& sums_into_epoch = {}) {
    // Every rank knows it (rank 0 once it is written), so that whichever survives a failed
    // peer can say where to resume from.
    const bool resumable = !weights_only && keeps_training_state(path);
    if (!comm.is_root()) {
      if (resumable) InterruptGuard::note_checkpoint(path, at.epoch);
      return;
    }
    if (!weights_only && !keeps_training_state(path) && !said_weights_only) {
      fmt::print(
          "{}: a Keras file keeps the weights, not the optimizer's state: --resume needs a "
          ".safetensors file\n",
          path);
      said_weights_only = true;
    }
    if (weights_only) {
      save_checkpoint(path, model, trainer.weights(), at, nullptr);
    } else {
      const OptimizerState optimizer = trainer.optimizer().state();
      const FitRecord record = record_of(trainer, callbacks, sums_into_epoch);
      save_checkpoint(path, model, trainer.weights(), at, &optimizer, &record);
    }
    last_checkpoint = path;
    if (resumable) InterruptGuard::note_checkpoint(path, at.epoch);
  };
  auto save = [&](const std::string& path, bool weights_only, int epoch) {
    save_at(path, weights_only, {epoch, start.seed, trainer.steps_done(), 0, global_batch});
  };
  std::vector<std::unique_ptr<Callback>> owned;
  if (f.reduce_lr.patience >= 0)
    owned.push_back(std::make_unique<ReduceLROnPlateauCallback>(f.reduce_lr, have_validation));
  if (f.early_stopping.patience >= 0)
    owned.push_back(std::make_unique<EarlyStoppingCallback>(f.early_stopping, have_validation));
  // Last, so that the record in its files holds every callback's account of the epoch.
  if (!f.checkpoint_path.empty())
    owned.push_back(std::make_unique<ModelCheckpointCallback>(f.checkpoint, have_validation, save));
  for (auto& c : owned) callbacks.push_back(c.get());
  EpochSums resumed_sums;
  if (resumed && resumed->record)
    resumed_sums = restore_record(*resumed->record, f.resume, trainer, callbacks);

  fmt::print("Kernels: {} (the best of this build's variants that this CPU runs{})\n",
             display_name(f.cpu_variant),
             std::getenv("CNN_MAX_CPU_ISA") ? ", within CNN_MAX_CPU_ISA" : "");
  fmt::print(
      "Training {} on {} samples, validating on {} ({}, {} optimizer, learning rate {:g}, "
      "batch {}{})\n",
      model.name, data.train.size(), validation.size(), f.loss, config.name, config.learning_rate,
      batch_text(global_batch, comm.size()),
      resumed ? fmt::format(", resuming after epoch {}", start.epoch) : "");
  Progress progress = Progress::for_stdout();
  FitOptions options;
  options.epochs = f.epochs;
  options.initial_epoch = start.epoch;
  options.initial_step = start.epoch_step;
  options.initial_sums = resumed_sums;
  options.global_batch = global_batch;
  options.batch_size = static_cast<int>((global_batch + comm.size() - 1) / comm.size());
  options.seed = start.seed;
  options.shuffle = f.shuffle;
  options.cache_frozen_base = f.cache_frozen_base;
  options.max_steps = f.max_steps;
  FitResult result;
  {
    const InterruptGuard interrupt(comm);
    options.interrupt = &InterruptGuard::requested();
    result = trainer.fit(data.train, have_validation ? &validation : nullptr, options, progress,
                         callbacks);
  }
  const std::vector<EpochLog>& history = trainer.history();
  if (trainer.reduced_steps() > 0)
    fmt::print("Gradient allreduce over {} processes: {:.2f} ms per step for {:.1f} MB\n",
               comm.size(),
               1e3 * trainer.reduce_seconds() / static_cast<double>(trainer.reduced_steps()),
               static_cast<double>(trainer.weights().params.size() * sizeof(float)) / 1e6);
  if (!f.history_dir.empty() && !history.empty()) write_history(history, f.history_dir);
  if (result.end == FitEnd::non_finite)
    throw Error(fmt::format(
        "the loss or the weights became NaN or infinite in epoch {}, step {}: training stopped "
        "there (a lower --lr may help); nothing was saved{}",
        result.epochs_done + 1, result.steps_into_epoch + 1,
        last_checkpoint.empty()
            ? ""
            : fmt::format(", and {} is the last good checkpoint", last_checkpoint)));
  if (result.end == FitEnd::interrupted) {
    const std::string path = f.save.empty() ? model.name + ".interrupted.safetensors" : f.save;
    save_at(path, false,
            {result.epochs_done, start.seed, trainer.steps_done(), result.steps_into_epoch,
             global_batch},
            result.sums_into_epoch);
    fmt::print(
        "Interrupted in epoch {} after {} of its steps; saved the state to {}. Continue "
        "with the same flags and --resume {}\n",
        result.epochs_done + 1, result.steps_into_epoch, path, path);
    return 128 + InterruptGuard::signal_number();
  }

  nlohmann::json metrics;
  metrics["model"] = model.name;
  metrics["optimizer"] = config.name;
  metrics["loss_function"] = f.loss;
  const auto ran = dispatched_variant();
  metrics["cpu_variant"] = ran ? isa_name(*ran) : "host";  // host: a build of one target
  metrics["batch_size"] = options.batch_size;
  metrics["global_batch_size"] = global_batch;
  metrics["epochs"] = history_json(history);
  double seconds = 0, images = 0;
  for (const EpochLog& e : history) {
    seconds += e.seconds;
    images += e.images_per_second * e.seconds;
  }
  metrics["train_images_per_second"] = seconds > 0 ? images / seconds : 0.0;
  if (data.test.size() > 0) {
    const Evaluation test = trainer.evaluate(data.test, f.batch_size);
    metrics["test_loss"] = test.loss;
    metrics["test_accuracy"] = test.accuracy;
    fmt::print("Test loss: {:.4f} - test accuracy: {:.4f}\n", test.loss, test.accuracy);
  }
  if (!f.save.empty()) {
    save(f.save, f.save_weights_only, result.epochs_done);
    fmt::print("Saved the {} to {}\n", f.save_weights_only ? "weights" : "model", f.save);
  }
  if (!f.metrics_json.empty()) {
    write_text_file(f.metrics_json, metrics.dump(2) + "\n");
    fmt::print("Wrote metrics to {}\n", f.metrics_json);
  }
  return 0;
}

}  // namespace cnn::runtime
