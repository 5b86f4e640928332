#include "runtime/model/checkpoint.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "runtime/error.hpp"
#include "runtime/model/keras_archive.hpp"
#include "runtime/model/keras_weights.hpp"
#include "runtime/model/safetensors.hpp"
#include "runtime/model/tfjs.hpp"

namespace cnn::runtime {

namespace {
constexpr std::string_view kCallbackTensors = "callbacks/";

std::vector<std::int64_t> shape_of(const TensorSlot& s) {
  return std::vector<std::int64_t>(s.shape.begin(), s.shape.begin() + s.rank);
}
// Whether the file is one of ours. Another tool's file (no "format" in its metadata) is
// read for its tensors alone; one of another version of ours is refused before it is read.
bool saved_by_us(const std::string& path, const TensorFile& file) {
  const auto it = file.metadata.find("format");
  if (it == file.metadata.end()) return false;
  if (it->second != kCheckpointFormat)
    throw Error(fmt::format("{}: format \"{}\"; this program reads \"{}\"", path, it->second,
                            kCheckpointFormat));
  return true;
}
bool keras_h5_path(const std::string& path) {
  return path.ends_with(".h5") || path.ends_with(".hdf5");
}
bool keras_path(const std::string& path) { return keras_h5_path(path) || path.ends_with(".keras"); }
// A weights file of any kind we read, its tensors named for `model`: safetensors by tensor
// name, as are TensorFlow.js layers models' (model.json); Keras's HDF5 files and .keras
// archives matched as Keras's load_weights matches them (`match`).
TensorFile read_tensors(const std::string& path, const ModelInfo& model, KerasMatch match,
                        bool skip_mismatch) {
  if (is_tfjs_model_path(path)) return read_tfjs_layers_model(path);  // names as ours
  const bool archive = is_zip(path);
  if (!archive && !is_hdf5(path)) {
    if (keras_h5_path(path)) throw Error(fmt::format("{}: not an HDF5 file", path));
    if (path.ends_with(".keras")) throw Error(fmt::format("{}: not a .keras (zip) archive", path));
    return read_safetensors(path);
  }
  const KerasWeights keras = read_keras_weights(path);
  TensorFile file = keras_tensors_for(keras, model, match, skip_mismatch, path);
  file.metadata["origin"] = archive ? "a Keras archive"
                            : keras.layout == KerasWeights::Layout::keras2
                                ? "Keras 2 weights (HDF5)"
                                : "Keras 3 weights";
  return file;
}
std::string origin_of(const TensorFile& file) {
  auto it = file.metadata.find("origin");
  return it == file.metadata.end() ? "written by another tool" : it->second;
}
// What keeps the file's tensor for `s` from loading: "" when it is there with the model's
// shape; else one line naming the tensor, the layer and both shapes.
std::string mismatch(const TensorFile& file, const TensorSlot& s, const ModelInfo& model) {
  const std::string name = s.name(model.nodes);
  const std::string_view layer = model.nodes[static_cast<std::size_t>(s.node)].name.view();
  auto it = file.tensors.find(name);
  if (it == file.tensors.end())
    return fmt::format("no tensor {}, which layer {} of {} needs", name, layer, model.name);
  if (it->second.shape != shape_of(s))
    return fmt::format("tensor {} has shape [{}]; layer {} of {} needs [{}]", name,
                       fmt::join(it->second.shape, ", "), layer, model.name,
                       fmt::join(shape_of(s), ", "));
  return {};
}
}  // namespace

bool keeps_training_state(const std::string& path) { return !keras_path(path); }

void save_checkpoint(const std::string& path, const ModelInfo& model, const Weights& weights,
                     const TrainingPosition& position, const OptimizerState* optimizer,
                     const FitRecord* record) {
  if (path.ends_with(".keras")) {
    save_keras_archive(path, model, weights);
    return;
  }
  if (keras_h5_path(path)) {
    save_keras_weights(path, model, weights);
    return;
  }
  TensorFile file;
  file.metadata = {{"format", std::string(kCheckpointFormat)},
                   {"model", model.name},
                   {"fingerprint", model.fingerprint()},
                   {"epoch", std::to_string(position.epoch)}};
  for (const TensorSlot& s : model.table.slots) {
    const auto values = tensor_of(weights, s);
    file.tensors[s.name(model.nodes)] = {shape_of(s), {values.begin(), values.end()}};
  }
  if (optimizer != nullptr) {
    file.metadata["optimizer"] = std::string(optimizer->name);
    file.metadata["learning_rate"] = fmt::format("{}", optimizer->learning_rate);
    file.metadata["iterations"] = std::to_string(optimizer->iterations);
    file.metadata["seed"] = std::to_string(position.seed);
    file.metadata["step"] = std::to_string(position.step);
    file.metadata["epoch_step"] = std::to_string(position.epoch_step);
    file.metadata["global_batch_size"] = std::to_string(position.global_batch);
    const auto n = static_cast<std::int64_t>(optimizer->slot_a.size());
    file.tensors["optimizer/slot_a"] = {{n}, {optimizer->slot_a.begin(), optimizer->slot_a.end()}};
    file.tensors["optimizer/slot_b"] = {{n}, {optimizer->slot_b.begin(), optimizer->slot_b.end()}};
  }
  if (record != nullptr) {
    file.metadata["history"] = record->history;
    file.metadata["callbacks"] = record->callbacks;
    file.metadata["epoch_sums"] = record->epoch_sums;
    for (const auto& [name, values] : record->tensors)
      file.tensors[std::string(kCallbackTensors) + name] = {
          {static_cast<std::int64_t>(values.size())}, values};
  }
  write_safetensors(path, file);
}

SavedState load_checkpoint(const std::string& path, const ModelInfo& model) {
  const TensorFile file = read_tensors(path, model, KerasMatch::by_order, false);
  const bool ours = saved_by_us(path, file);
  auto meta = [&](const std::string& key) {
    auto it = file.metadata.find(key);
    return it == file.metadata.end() ? std::string() : it->second;
  };
  SavedState saved;
  saved.same_architecture = ours && meta("fingerprint") == model.fingerprint();
  // Weights load by tensor name and shape, as Keras's load_weights does; whose they are
  // matters only to a resumed training state.
  saved.origin = !ours ? origin_of(file)
                       : fmt::format("weights of model '{}', architecture {}",
                                     meta("model").empty() ? "unknown" : meta("model"),
                                     meta("fingerprint").empty() ? "unknown" : meta("fingerprint"));
  saved.weights.params.assign(static_cast<std::size_t>(model.table.params_size), 0.0f);
  saved.weights.state.assign(
      static_cast<std::size_t>(std::max<long long>(model.table.state_size, 1)), 0.0f);
  for (const TensorSlot& s : model.table.slots) {
    if (const std::string why = mismatch(file, s, model); !why.empty())
      throw Error(fmt::format("{} ({}): {}", path, saved.origin, why));
    const NamedTensor& t = file.tensors.at(s.name(model.nodes));
    std::copy(t.values.begin(), t.values.end(), tensor_of(saved.weights, s).begin());
  }
  if (!saved.same_architecture) return saved;  // the weights, and nothing of a training state
  try {
    saved.position.epoch = meta("epoch").empty() ? 0 : std::stoi(meta("epoch"));
    saved.iterations = meta("iterations").empty() ? 0 : std::stoll(meta("iterations"));
    saved.position.seed = meta("seed").empty() ? 0 : std::stoull(meta("seed"));
    saved.position.step = meta("step").empty() ? 0 : std::stoll(meta("step"));
    saved.position.epoch_step = meta("epoch_step").empty() ? 0 : std::stoll(meta("epoch_step"));
    saved.position.global_batch =
        meta("global_batch_size").empty() ? 0 : std::stoll(meta("global_batch_size"));
    saved.learning_rate = meta("learning_rate").empty() ? 0.0f : std::stof(meta("learning_rate"));
  } catch (const std::exception&) {
    throw Error(
        fmt::format("{}: malformed epoch, iterations, seed, step, batch or learning rate in "
                    "its metadata",
                    path));
  }
  if (saved.position.epoch < 0 || saved.iterations < 0 || saved.position.step < 0 ||
      saved.position.epoch_step < 0 || saved.position.global_batch < 0)
    throw Error(fmt::format("{}: negative epoch, iterations, step or batch in its metadata", path));
  saved.optimizer = meta("optimizer");
  auto a = file.tensors.find("optimizer/slot_a"), b = file.tensors.find("optimizer/slot_b");
  if (!saved.optimizer.empty() && a != file.tensors.end() && b != file.tensors.end()) {
    if (a->second.values.size() != saved.weights.params.size() ||
        b->second.values.size() != saved.weights.params.size())
      throw Error(fmt::format("{}: optimizer state does not match the model's parameters", path));
    saved.slot_a = a->second.values;
    saved.slot_b = b->second.values;
    saved.whole_model = !meta("step").empty();
  }
  if (saved.whole_model && file.metadata.contains("history")) {
    FitRecord& record = saved.record.emplace();
    record.history = meta("history");
    record.callbacks = meta("callbacks");
    record.epoch_sums = meta("epoch_sums");
    for (const auto& [name, tensor] : file.tensors)
      if (name.starts_with(kCallbackTensors))
        record.tensors[name.substr(kCallbackTensors.size())] = tensor.values;
  }
  return saved;
}

LoadedLayers load_layers_by_name(const std::string& path, const ModelInfo& model,
                                 const std::vector<std::string>& layers, Weights& weights,
                                 bool skip_mismatch) {
  const TensorFile file = read_tensors(path, model, KerasMatch::by_name, skip_mismatch);
  saved_by_us(path, file);
  auto in_file = [&](const std::string& layer) {
    for (const auto& [name, tensor] : file.tensors)
      if (name.starts_with(layer + "/")) return true;
    return false;
  };
  std::vector<std::string> wanted = layers;
  if (wanted.empty()) {
    for (const Node& n : model.nodes)
      if (n.trainable_params + n.non_trainable_params > 0 && in_file(std::string(n.name.view())))
        wanted.emplace_back(n.name.view());
    if (wanted.empty())
      throw Error(fmt::format("{}: shares no layer name with model {}", path, model.name));
  }
  for (const std::string& layer : wanted) {
    const bool in_model = std::any_of(model.nodes.begin(), model.nodes.end(),
                                      [&](const Node& n) { return n.name.view() == layer; });
    if (!in_model) throw Error(fmt::format("model {} has no layer '{}'", model.name, layer));
    if (!in_file(layer) && !skip_mismatch)
      throw Error(fmt::format("{}: no weights of layer '{}'", path, layer));
  }
  // What is wrong with a layer's tensors in the file, if anything: a layer loads whole or not.
  auto layer_mismatch = [&](const std::string& layer) -> std::string {
    for (const TensorSlot& s : model.table.slots)
      if (model.nodes[static_cast<std::size_t>(s.node)].name.view() == layer)
        if (std::string why = mismatch(file, s, model); !why.empty())
          return fmt::format("{}: {}", path, why);
    return {};
  };
  LoadedLayers result;
  for (const std::string& layer : wanted) {
    const std::string why = layer_mismatch(layer);
    if (why.empty()) {
      result.loaded.push_back(layer);
    } else if (skip_mismatch) {
      result.skipped.push_back(why);
    } else {
      throw Error(why);
    }
  }
  for (const TensorSlot& s : model.table.slots) {
    const std::string layer(model.nodes[static_cast<std::size_t>(s.node)].name.view());
    if (std::find(result.loaded.begin(), result.loaded.end(), layer) == result.loaded.end())
      continue;
    const NamedTensor& t = file.tensors.at(s.name(model.nodes));
    std::copy(t.values.begin(), t.values.end(), tensor_of(weights, s).begin());
  }
  return result;
}

void save_keras_weights(const std::string& path, const ModelInfo& model, const Weights& weights) {
  // As write_safetensors: a crash while writing leaves the old file whole.
  const std::string tmp = path + ".tmp";
  try {
    H5File file = H5File::create(tmp);
    H5Group root = file.root();
    if (path.ends_with(".weights.h5"))
      write_keras3_weights(root, model, weights);
    else
      write_keras2_weights(root, model, weights);
    file.close();
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw Error(fmt::format("{}: cannot rename {} into place", path, tmp));
}

}  // namespace cnn::runtime
