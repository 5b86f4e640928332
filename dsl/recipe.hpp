// How a tutorial trains its model: the arguments of Keras's compile() and fit() and of the
// callbacks it passes, declared beside the model as a constexpr value. A trainer takes
// them as its defaults; its flags override each one.
#pragma once

#include <string_view>

namespace cnn {

// Keras's EarlyStopping; off while patience < 0.
struct EarlyStopping {
  std::string_view monitor = "val_loss";
  double min_delta = 0.0;
  int patience = -1;
  std::string_view mode = "auto";  // auto, min, max
  bool restore_best_weights = false;
};

// Keras's ModelCheckpoint; off while filepath is empty. The path may hold {epoch} and
// {val_loss} (and any monitored metric), with format specs: "best-{epoch:02d}.safetensors".
struct ModelCheckpoint {
  std::string_view filepath = "";
  std::string_view monitor = "val_loss";
  bool save_best_only = false;
  bool save_weights_only = false;
  std::string_view mode = "auto";
};

// Keras's ReduceLROnPlateau; off while patience < 0.
struct ReduceLROnPlateau {
  std::string_view monitor = "val_loss";
  double factor = 0.1;
  int patience = -1;
  double min_delta = 1e-4;
  double min_lr = 0.0;
  std::string_view mode = "auto";
};

struct Recipe {
  // compile()
  std::string_view optimizer = "rmsprop";  // sgd, rmsprop, adam, adadelta
  double learning_rate = 0.0;              // 0: Keras's default for the optimizer
  // The tutorial's loss, as it names it: categorical_crossentropy (one-hot targets) or
  // sparse_categorical_crossentropy (class indices). Both are softmax cross-entropy against
  // the sample's class, which is what every training step computes, so it is a record of
  // the tutorial, not a choice (there is no --loss flag).
  std::string_view loss = "categorical_crossentropy";
  // fit()
  int epochs = 12;
  int batch_size = 128;
  double validation_split = 0.2;
  bool validate_on_test = false;  // validation_data=(x_test, y_test), as some tutorials do
  EarlyStopping early_stopping{};
  ModelCheckpoint checkpoint{};
  ReduceLROnPlateau reduce_lr{};
  // data
  bool pad_to_input = false;  // zero-pad smaller images to the input size (LeNet-5 on MNIST)
  // As some tutorials prepare their data with scikit-learn (runtime/data/preprocess.hpp):
  double resplit_test = 0;     // > 0: train and test pooled, this fraction split off as test
  int resplit_seed = 42;       // the split's random_state
  bool min_max_scale = false;  // MinMaxScaler fitted on the training set
  // keras.applications' preprocess_input: "caffe" (VGG16, ResNet50), "tf" (InceptionV3),
  // "torch", or "" (none).
  std::string_view preprocess_input = "";
  std::string_view class_names = "";  // comma-separated; the data set's own names win
};

// A recipe's loss is one the tutorials name: `static_assert(cnn::names_a_loss(recipe))`.
constexpr bool names_a_loss(const Recipe& r) {
  return r.loss == "categorical_crossentropy" || r.loss == "sparse_categorical_crossentropy";
}

}  // namespace cnn
