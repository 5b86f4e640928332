// Saving and loading a model's weights as safetensors: tensors named `<layer>/<kernel|bias|
// gamma|beta|moving_mean|moving_variance>` in Keras's layouts, metadata naming the model,
// its architecture fingerprint and the epoch. A whole-model file adds what `train --resume`
// needs: the optimizer's state (`optimizer/slot_a`, `optimizer/slot_b`, flat), its
// iterations and learning rate, and the random state (the seed and the step count, which
// with the epoch fix the shuffling and dropout streams), and the fit's record: the epochs'
// history and the callbacks' state (EarlyStopping's best weights and patience count, ...),
// so that a resumed run goes on as the uninterrupted one would.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/model/model_info.hpp"
#include "runtime/model/weights.hpp"

namespace cnn::runtime {

// What the "format" metadata of every file we save says, checked on load: the version
// changes with the layout of what is saved.
inline constexpr std::string_view kCheckpointFormat = "cnn-compiler weights 1";

// Where training stands: what a whole-model file records besides the weights.
struct TrainingPosition {
  int epoch = 0;  // whole epochs done
  std::uint64_t seed = 0;
  long long step = 0;        // training steps done in all
  long long epoch_step = 0;  // steps done of the next epoch (an interrupted one)
  // The samples one step took across all processes; 0 in files written before it was kept.
  long long global_batch = 0;
};

// The fit's record in a whole-model file, as the training runtime writes it: JSON texts
// (metadata "history", "callbacks" and, for an interrupted epoch, "epoch_sums") and the
// callbacks' tensors (saved as "callbacks/<name>").
struct FitRecord {
  std::string history, callbacks, epoch_sums;
  std::map<std::string, std::vector<float>> tensors;
};

struct SavedState {
  Weights weights;
  // Saved here from a model of this architecture: only then is there a training state
  // (position, optimizer, record) to resume.
  bool same_architecture = false;
  std::string origin;  // whose weights, for messages: "weights of model 'x', architecture y"
  TrainingPosition position;
  bool whole_model = false;  // false for a weights-only file
  std::string optimizer;     // empty for a weights-only file
  float learning_rate = 0;
  long long iterations = 0;
  std::vector<float> slot_a, slot_b;
  std::optional<FitRecord> record;  // absent from files saved before records were kept
};

// What a whole-model file keeps of the optimizer (a view of the trainer's Optimizer).
struct OptimizerState {
  std::string_view name;
  float learning_rate = 0;
  long long iterations = 0;
  std::span<const float> slot_a, slot_b;
};

// `optimizer` null: a weights-only file; `record` null: a file without the fit's record.
// A path ending in .h5 or .hdf5 gets Keras's weights instead (save_keras_weights), one
// ending in .keras a Keras archive (keras_archive.hpp), without the training state.
void save_checkpoint(const std::string& path, const ModelInfo& model, const Weights& weights,
                     const TrainingPosition& position, const OptimizerState* optimizer,
                     const FitRecord* record = nullptr);

// Whether a save to `path` keeps the training state (a safetensors file) or the weights
// alone (Keras's files).
bool keeps_training_state(const std::string& path);

// Keras's weights, for Keras's load_weights: Keras 3's layout for "x.weights.h5", else
// Keras 2's (save_weights("x.h5")). Written to `path`.tmp and renamed into place.
void save_keras_weights(const std::string& path, const ModelInfo& model, const Weights& weights);

// The weights of a file whose tensors have the model's names and shapes, whoever wrote it
// (ours of another architecture, PyTorch's or numpy's safetensors: weights only), or a Keras
// HDF5 weights file or .keras archive matched as Keras's load_weights matches it, or a
// TensorFlow.js layers model (model.json: tfjs.hpp) matched by weight name; the
// training state too from a file of ours of this architecture. A missing tensor or one of
// the wrong shape is refused with one line naming the file, the tensor, the layer and both
// shapes.
SavedState load_checkpoint(const std::string& path, const ModelInfo& model);

// Transfer learning: copies into `weights` the tensors of the named layers (every layer
// the two models share, when `layers` is empty) from another model's file, matching by
// layer name as Keras's load_weights(by_name=True) does (Keras's HDF5 files too). A layer loads
// whole or not at all. A listed layer that the file lacks, or a tensor whose shape differs, is an
// error; with `skip_mismatch` (Keras's skip_mismatch) that layer keeps what `weights` held and is
// reported instead.
struct LoadedLayers {
  std::vector<std::string> loaded;
  std::vector<std::string> skipped;  // one line each: the file, the tensor, both shapes
};
LoadedLayers load_layers_by_name(const std::string& path, const ModelInfo& model,
                                 const std::vector<std::string>& layers, Weights& weights,
                                 bool skip_mismatch = false);
}  // namespace cnn::runtime
