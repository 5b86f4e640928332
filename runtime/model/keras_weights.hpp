// Keras's weight files, read and written with Keras's layouts and names.
//
// Keras 2 ("legacy") HDF5, what `save_weights("x.h5")`, `ModelCheckpoint("x.h5")` and the
// keras.applications downloads hold: attribute `layer_names` lists the layers in
// `model.layers` order; group `<layer>` has attribute `weight_names` (its weights in the
// layer's order, e.g. `conv2d_1/kernel:0`) naming datasets under it. A whole-model file
// keeps all this under `model_weights/`.
//
// Keras 3 (`.weights.h5`, and `model.weights.h5` inside a `.keras` archive): the model's
// layers under `layers/<class in snake_case>[_<k>]/vars/<i>`, named by class and position
// rather than by layer name; newer files record the layer's name in the vars group's
// attribute `name`.
//
// Loading matches layers as Keras's load_weights does: by order among the layers with
// weights (Keras 2), by class and position (Keras 3), or by layer name (by_name=True).
// Within a layer, weights go in the layer's order (kernel, bias; gamma, beta, moving mean,
// moving variance), which is also the parameter table's.
#pragma once

#include <string>
#include <vector>

#include "runtime/model/hdf5.hpp"
#include "runtime/model/model_info.hpp"
#include "runtime/model/safetensors.hpp"
#include "runtime/model/weights.hpp"

namespace cnn::runtime {

struct KerasLayerWeights {
  std::string name;  // the layer's name (Keras 3 files without it: its path)
  std::string path;  // its group: "block1_conv1" (Keras 2) or "layers/conv2d_1" (Keras 3)
  std::vector<std::string> weight_names;
  std::vector<NamedTensor> weights;
};

struct KerasWeights {
  enum class Layout { keras2, keras3 } layout = Layout::keras2;
  std::vector<KerasLayerWeights> layers;  // Keras 2: every layer named; Keras 3: those with vars
};

// Reads either layout from an HDF5 file (a whole-model Keras 2 file too).
KerasWeights read_keras_weights(const H5File& file);
// The same from a file, an HDF5 file or a .keras archive's model.weights.h5, which HDF5
// parses in a child process (isolated.hpp): what loaders use.
KerasWeights read_keras_weights(const std::string& path);

enum class KerasMatch { by_order, by_name };

// The file's weights as tensors named for `model` ("<layer>/<kernel|bias|...>"), matched as
// Keras's load_weights matches them. By order, a different count of layers with weights, or
// of weights in a layer, is an error naming both; by name, layers the model lacks are left
// out, and a layer whose weight count differs is an error (left out with skip_mismatch).
// `what` names the file in messages.
TensorFile keras_tensors_for(const KerasWeights& file, const ModelInfo& model, KerasMatch match,
                             bool skip_mismatch, const std::string& what);

// Keras 2's save_weights layout (`layer_names`, `weight_names` `<layer>/<weight>:0`).
void write_keras2_weights(H5Group& group, const ModelInfo& model, const Weights& weights);
// Keras 3's layout (`layers/<class>[_k]/vars/<i>`, each vars group naming its layer).
void write_keras3_weights(H5Group& root, const ModelInfo& model, const Weights& weights);

// Keras 3's name for a layer's state: its class in snake_case, numbered among the model's
// layers of that class in order ("conv2d", "conv2d_1", ...); one per node, "" for the input.
std::vector<std::string> keras3_layer_paths(const ModelInfo& model);

}  // namespace cnn::runtime
