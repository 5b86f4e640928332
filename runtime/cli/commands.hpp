// The trainer's subcommands behind the command line (cli.cpp parses it): every flag's value,
// defaulted from the model's recipe, and the commands that use them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dsl/recipe.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/model/cpu_variant.hpp"
#include "runtime/model/kernels.hpp"
#include "runtime/model/model_info.hpp"

namespace cnn::runtime {

struct Flags {
  // data
  std::string data;
  bool pad_to_input = false;
  double resplit_test = 0;
  int resplit_seed = 42;
  bool min_max_scale = false;
  std::string preprocess_input;          // keras.applications' mode: caffe, tf, torch, or none
  std::vector<std::string> class_names;  // from the recipe, when the data set has none
  int threads = 0;                       // 0: all cores
  // The kernels' variant that runs: not a flag, CNN_MAX_CPU_ISA caps it.
  CpuVariant cpu_variant = CpuVariant::x86_64;
  int batch_size = 128;
  bool batch_size_given = false;    // on the command line, not the recipe's
  long long global_batch_size = 0;  // train: the samples of one step over all processes
  // train
  int epochs = 12;
  std::string optimizer = "rmsprop";
  std::optional<float> lr;
  std::string loss = "categorical_crossentropy";
  double validation_split = 0.2;
  std::string validation_data;  // "test": the test set of --data; or a directory
  std::uint64_t seed = 42;
  bool shuffle = true;
  bool cache_frozen_base = true;  // FitOptions::cache_frozen_base
  long long max_steps = -1;
  std::string initial_weights, resume, transfer_from;
  std::vector<std::string> transfer_layers, freeze;
  bool skip_mismatch = false;  // Keras's load_weights(skip_mismatch=True)
  std::string save;
  bool save_weights_only = false;
  std::string metrics_json, history_dir;
  // The callbacks' settings; the strings own the text their views point into once set.
  EarlyStopping early_stopping;
  ModelCheckpoint checkpoint;
  ReduceLROnPlateau reduce_lr;
  std::string checkpoint_path, early_stopping_monitor, checkpoint_monitor, reduce_lr_monitor;
  // evaluate, predict
  std::string weights, report_dir;
  int count = 10;
  int top = 1;                      // predict: classes per image (decode_predictions' top)
  std::string class_index;          // predict: a class index file ({"0": [id, name], ...})
  std::vector<std::string> images;  // predict: image files in place of --data
  std::string probabilities_csv;    // predict: every class's probability, per image
  int image = 0;

  static Flags from_recipe(const Recipe& recipe);
};

int run_train(const ModelInfo& model, const ModelKernels& kernels, Flags f);
int run_evaluate(const ModelInfo& model, const ModelKernels& kernels, const Flags& f);
int run_predict(const ModelInfo& model, const ModelKernels& kernels, const Flags& f);

// Shared by the commands: threads, and the data set checked against the model (padded
// when asked), with the recipe's class names where the files have none.
void set_threads(int threads);
// The data set in `dir`, checked against the model's input and classes, then split anew and
// scaled as the flags say (the same on every run, so evaluate sees what train saw).
TrainTest load_for_model(const std::string& dir, const ModelInfo& model, const Flags& f);
// Image files resized to the model's input and preprocessed as the flags say, unlabelled.
Dataset images_for_model(const std::vector<std::string>& paths, const ModelInfo& model,
                         const Flags& f);

}  // namespace cnn::runtime
