#include "runtime/cli/cli.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>

#include "dsl/model_dot.hpp"
#include "runtime/cli/commands.hpp"
#include "runtime/error.hpp"
#include "runtime/model/memory.hpp"
#include "runtime/report/model_plot.hpp"
#include "runtime/train/distributed.hpp"

namespace cnn::runtime {

namespace {

void add_data_flags(CLI::App* command, Flags& f, bool data_required = true) {
  CLI::Option* data = command->add_option("--data", f.data,
                                          "Directory of the data set (idx files, CIFAR-10 binary, "
                                          "or train/ and test/ folders of class subfolders)");
  if (data_required) data->required();
  command
      ->add_option("--pad-to-input", f.pad_to_input,
                   "Zero-pad smaller images to the model's input size (true|false)")
      ->capture_default_str();
  command
      ->add_option("--resplit-test", f.resplit_test,
                   "Pool train and test and split off this fraction as the test set, as "
                   "scikit-learn's train_test_split (0: keep the data set's split)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_option("--resplit-seed", f.resplit_seed, "The split's random state")
      ->capture_default_str();
  command
      ->add_option("--min-max-scale", f.min_max_scale,
                   "Scale each pixel and channel to the training set's [min, max], as "
                   "scikit-learn's MinMaxScaler (true|false)")
      ->capture_default_str();
  command
      ->add_option("--preprocess-input", f.preprocess_input,
                   "keras.applications' preprocess_input: caffe (VGG16, ResNet50), tf "
                   "(InceptionV3) or torch (default: the recipe's, else none)")
      ->check(CLI::IsMember({"caffe", "tf", "torch"}));
  command->add_option("--threads", f.threads, "Threads (default: all cores)");
}

void add_train_flags(CLI::App* train, Flags& f) {
  add_data_flags(train, f);
  train->add_option("--epochs", f.epochs, "Last epoch to train (counting from 1)")
      ->capture_default_str();
  train->add_option("--batch-size", f.batch_size, "Samples per step and process")
      ->capture_default_str();
  train->add_option("--global-batch-size", f.global_batch_size,
                    "Samples per step over all processes (as Horovod's users set it), shared "
                    "among them; in place of --batch-size, which is per process");
  train->add_option("--optimizer", f.optimizer, "sgd, rmsprop, adam or adadelta")
      ->capture_default_str()
      ->check(CLI::IsMember({"sgd", "rmsprop", "adam", "adadelta"}));
  train->add_option("--lr", f.lr, "Learning rate (default: the recipe's, else Keras's)");
  train
      ->add_option("--validation-split", f.validation_split,
                   "Fraction of the training set held out, taken from its end")
      ->capture_default_str();
  train->add_option("--validation-data", f.validation_data,
                    "Validate on 'test' (the test set of --data) or on a data set directory");
  train->add_option("--seed", f.seed, "Seed of initialization, shuffling and dropout")
      ->capture_default_str();
  train->add_option("--shuffle", f.shuffle, "Reshuffle every epoch (true|false)")
      ->capture_default_str();
  train->add_option("--max-steps", f.max_steps, "Stop after this many steps");
  train
      ->add_option("--cache-frozen-base", f.cache_frozen_base,
                   "Compute a frozen base's output once, not at every epoch, where it fits in "
                   "memory (true|false)")
      ->capture_default_str();
  train->add_option("--initial-weights", f.initial_weights,
                    "Start from this model's saved weights");
  train->add_option("--resume", f.resume, "Continue the training a whole-model file saved");
  train->add_option("--transfer-from", f.transfer_from,
                    "Load layers by name from another model's weights file");
  train
      ->add_option("--transfer-layers", f.transfer_layers,
                   "Layers to load with --transfer-from (default: every shared name)")
      ->delimiter(',');
  train->add_flag("--skip-mismatch", f.skip_mismatch,
                  "With --initial-weights or --transfer-from: a layer the file lacks or holds "
                  "in another shape keeps its initial weights (Keras's skip_mismatch)");
  train->add_option("--freeze", f.freeze, "Layers whose weights stay fixed")->delimiter(',');
  train->add_option("--save", f.save, "Write the trained model here (safetensors)");
  train->add_flag("--save-weights-only", f.save_weights_only,
                  "--save writes the weights only, not the optimizer state to resume from");
  train->add_option("--checkpoint", f.checkpoint_path,
                    "ModelCheckpoint path after each epoch, with {epoch}, {val_loss}, ... fields");
  train->add_option("--checkpoint-monitor", f.checkpoint_monitor, "Metric save-best-only watches")
      ->capture_default_str();
  train
      ->add_option("--save-best-only", f.checkpoint.save_best_only,
                   "Checkpoint only when the monitored metric improves (true|false)")
      ->capture_default_str();
  train
      ->add_option("--checkpoint-weights-only", f.checkpoint.save_weights_only,
                   "Checkpoints hold weights only (true|false)")
      ->capture_default_str();
  train
      ->add_option("--early-stopping-patience", f.early_stopping.patience,
                   "EarlyStopping after this many epochs without improvement (-1: off)")
      ->capture_default_str();
  train
      ->add_option("--early-stopping-monitor", f.early_stopping_monitor,
                   "Metric EarlyStopping watches")
      ->capture_default_str();
  train
      ->add_option("--min-delta", f.early_stopping.min_delta,
                   "Smallest change that counts as an improvement for EarlyStopping")
      ->capture_default_str();
  train
      ->add_option("--restore-best-weights", f.early_stopping.restore_best_weights,
                   "EarlyStopping restores the best epoch's weights (true|false)")
      ->capture_default_str();
  train
      ->add_option("--reduce-lr-patience", f.reduce_lr.patience,
                   "ReduceLROnPlateau after this many epochs without improvement (-1: off)")
      ->capture_default_str();
  train->add_option("--reduce-lr-monitor", f.reduce_lr_monitor, "Metric ReduceLROnPlateau watches")
      ->capture_default_str();
  train
      ->add_option("--reduce-lr-min-delta", f.reduce_lr.min_delta,
                   "Smallest change that counts as an improvement for ReduceLROnPlateau")
      ->capture_default_str();
  train
      ->add_option("--reduce-lr-factor", f.reduce_lr.factor,
                   "ReduceLROnPlateau multiplies the rate by this")
      ->capture_default_str();
  train->add_option("--min-lr", f.reduce_lr.min_lr, "ReduceLROnPlateau's lowest rate")
      ->capture_default_str();
  train->add_option("--metrics-json", f.metrics_json, "Write per-epoch and test metrics here");
  train->add_option("--history-dir", f.history_dir,
                    "Write history.csv, history.json, loss.png and accuracy.png here");
}

// Reports an error; under mpirun it names the rank and ends every rank, since the others
// would otherwise wait for this one forever.
int fail(const std::string& model, const std::string& message) {
  const Communicator* comm = nullptr;
  try {
    comm = &Communicator::world();
  } catch (const Error&) {  // the error being reported may be that one
  }
  if (comm != nullptr && comm->size() > 1) {
    fmt::print(stderr, "{}: error on rank {} of {}: {}\n", model, comm->rank(), comm->size(),
               message);
    std::fflush(stderr);
    comm->abort(1);
  }
  fmt::print(stderr, "{}: error: {}\n", model, message);
  return 1;
}

}  // namespace

int trainer_main(int argc, char** argv, const ModelInfo& model, const ModelKernels& kernels,
                 const Recipe& recipe) {
  CLI::App app{fmt::format("Train, evaluate and run the {} model", model.name), model.name};
  app.require_subcommand(1);
  Flags f = Flags::from_recipe(recipe);
  std::string dot, plot;
  PlotOptions plot_options;
  std::string rankdir = "TB";

  auto* summary = app.add_subcommand("summary", "Print the model's layers, shapes and parameters");
  summary->add_option("--plot", plot,
                      "Also draw the model graph to this file (.png, .svg or .pdf), as Keras's "
                      "plot_model");
  summary->add_option("--dot", dot, "Also write the model graph as Graphviz DOT to this file");
  summary->add_flag("--show-shapes", plot_options.show_shapes,
                    "Show each layer's input and output shapes in the graph");
  summary
      ->add_option("--show-layer-names", plot_options.show_layer_names,
                   "Show each layer's name beside its type in the graph")
      ->capture_default_str();
  summary->add_flag("--show-trainable", plot_options.show_trainable,
                    "Mark each layer trainable (T) or frozen (N) in the graph");
  summary->add_option("--rankdir", rankdir, "The graph's direction: TB (top to bottom) or LR")
      ->check(CLI::IsMember({"TB", "LR", "BT", "RL"}))
      ->capture_default_str();
  summary->add_option("--dpi", plot_options.dpi, "A PNG graph's resolution")
      ->check(CLI::Range(10, 1200))
      ->capture_default_str();

  auto* train = app.add_subcommand("train", "Train the model");
  add_train_flags(train, f);
  auto* evaluate =
      app.add_subcommand("evaluate", "Loss, accuracy and confusion matrix on the test set");
  add_data_flags(evaluate, f);
  evaluate->add_option("--weights", f.weights, "Weights file (safetensors)")->required();
  evaluate->add_option("--metrics-json", f.metrics_json, "Write the metrics here");
  evaluate->add_option("--batch-size", f.batch_size, "Samples per kernel call")
      ->capture_default_str();
  evaluate->add_option("--report-dir", f.report_dir,
                       "Write the confusion matrix (CSV, PNG), the classification report, a 7x7 "
                       "grid of predictions and one image's probabilities (PNG) here");
  evaluate->add_option("--image", f.image, "Test image whose probabilities --report-dir plots")
      ->capture_default_str();

  auto* predict = app.add_subcommand("predict", "Predict the first test images' classes");
  add_data_flags(predict, f, false);  // or --images
  predict->add_option("--images", f.images,
                      "Image files (JPEG, PNG) to predict, resized to the model's input, in "
                      "place of --data's test set");
  predict
      ->add_option("--weights", f.weights,
                   "Weights file (safetensors, Keras's .h5/.keras, or a TF.js model.json)")
      ->required();
  predict->add_option("--count", f.count, "How many images")->capture_default_str();
  predict->add_option("--top", f.top, "Print each image's most probable classes, this many")
      ->capture_default_str();
  predict->add_option("--class-index", f.class_index,
                      "Class ids and names, as Keras's imagenet_class_index.json");
  predict->add_option("--save-probabilities", f.probabilities_csv,
                      "Write every image's class probabilities to this CSV file (as Keras's "
                      "model.predict returns them)");

  keep_freed_memory_for_reuse();
  try {
    app.parse(argc, argv);
    f.batch_size_given = train->get_option("--batch-size")->count() > 0;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    f.cpu_variant = select_cpu_variant();
    if (*summary) {
      if (!plot.empty()) plot_format(plot);  // a bad extension fails before any output
      fmt::print("{}", model.summary);
      plot_options.rankdir = rankdir;
      const std::string graph = to_dot(model.name, model.nodes, plot_options);
      if (!dot.empty()) {
        std::ofstream out(dot);
        out << graph;
        if (!out) throw Error(fmt::format("{}: cannot write", dot));
      }
      if (!plot.empty()) {
        const DrawnPlot drawn = draw_dot(graph, plot);
        if (drawn.scale < 1)
          fmt::print(stderr,
                     "warning: {}: the graph is too large for a PNG at this resolution and was "
                     "drawn at {:.0f}% size ({:.0f} x {:.0f} pixels); .svg or .pdf keep it "
                     "whole\n",
                     plot, 100 * drawn.scale, drawn.width, drawn.height);
      }
      return 0;
    }
    if (*train) return run_train(model, kernels, f);
    if (*evaluate) return run_evaluate(model, kernels, f);
    return run_predict(model, kernels, f);
  } catch (const Error& e) {
    return fail(model.name, e.what());
  } catch (const std::bad_alloc&) {
    return fail(model.name, "out of memory");
  }
}

}  // namespace cnn::runtime
