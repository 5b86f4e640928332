#include "runtime/model/keras_weights.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "runtime/error.hpp"
#include "runtime/model/isolated.hpp"
#include "runtime/model/keras_archive.hpp"

namespace cnn::runtime {

namespace {
// The parameter table's slots of each node, in the layer's own order.
std::vector<std::vector<const TensorSlot*>> slots_by_node(const ModelInfo& model) {
  std::vector<std::vector<const TensorSlot*>> by_node(model.nodes.size());
  for (const TensorSlot& s : model.table.slots)
    by_node[static_cast<std::size_t>(s.node)].push_back(&s);
  return by_node;
}

std::string layer_name(const Node& n) { return std::string(n.name.view()); }

// Keras 3 keeps layers under "layers"; files of TensorFlow 2.13's Keras under this name.
std::string keras3_layers_group(const H5Group& root) {
  if (root.has_group("layers")) return "layers";
  if (root.has_group("_layer_checkpoint_dependencies")) return "_layer_checkpoint_dependencies";
  return {};
}

KerasWeights read_keras2(const H5Group& group) {
  KerasWeights out;
  out.layout = KerasWeights::Layout::keras2;
  for (const std::string& name : group.strings("layer_names")) {
    KerasLayerWeights layer;
    layer.name = layer.path = name;
    const H5Group g = group.group(name);
    layer.weight_names = g.strings("weight_names");
    for (const std::string& w : layer.weight_names) layer.weights.push_back(g.floats(w));
    out.layers.push_back(std::move(layer));
  }
  return out;
}

KerasWeights read_keras3(const H5Group& root, const std::string& layers_group) {
  KerasWeights out;
  out.layout = KerasWeights::Layout::keras3;
  const H5Group layers = root.group(layers_group);
  for (const std::string& member : layers.member_names()) {
    if (!layers.has_group(member + "/vars")) continue;  // no state (or a nested model's)
    const H5Group vars = layers.group(member + "/vars");
    KerasLayerWeights layer;
    layer.path = "layers/" + member;
    layer.name = vars.has_attribute("name") ? vars.string("name") : layer.path;
    // Variables are "0", "1", ...: in that order, not HDF5's name order ("10" before "2").
    std::vector<std::string> keys = vars.member_names();
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (!vars.has(std::to_string(i)))
        throw Error(
            fmt::format("{}: variables are not numbered 0 to {}", vars.path(), keys.size() - 1));
    for (std::size_t i = 0; i < keys.size(); ++i) {
      layer.weight_names.push_back(std::to_string(i));
      layer.weights.push_back(vars.floats(std::to_string(i)));
    }
    out.layers.push_back(std::move(layer));
  }
  return out;
}
}  // namespace

KerasWeights read_keras_weights(const H5File& file) {
  const H5Group root = file.root();
  if (root.has_group("model_weights")) return read_keras2(root.group("model_weights"));
  if (root.has_attribute("layer_names") || root.has_attribute("layer_names0"))
    return read_keras2(root);
  if (const std::string layers = keras3_layers_group(root); !layers.empty())
    return read_keras3(root, layers);
  throw Error(fmt::format(
      "{}: an HDF5 file, but not Keras's weights: no attribute layer_names (Keras 2) nor group "
      "layers (Keras 3)",
      root.path() == "/" ? "the file" : root.path()));
}

namespace {
// What the child that reads a file sends back (isolated.hpp), and the caller's checked read.
void send(PipeWriter& out, const KerasWeights& k) {
  out.u64(static_cast<std::size_t>(k.layout));
  out.u64(k.layers.size());
  for (const KerasLayerWeights& layer : k.layers) {
    out.text(layer.name);
    out.text(layer.path);
    out.u64(layer.weights.size());
    for (std::size_t i = 0; i < layer.weights.size(); ++i) {
      out.text(layer.weight_names[i]);
      out.u64(layer.weights[i].shape.size());
      for (std::int64_t d : layer.weights[i].shape) out.u64(static_cast<std::size_t>(d));
      out.bytes(layer.weights[i].values.data(), layer.weights[i].values.size() * sizeof(float));
    }
  }
}
KerasWeights receive(PipeReader& in, const std::string& what) {
  auto bounded = [&](std::size_t limit) {
    const std::size_t v = in.u64();
    if (v > limit) throw Error(fmt::format("{}: its reader sent {} (at most {})", what, v, limit));
    return v;
  };
  constexpr std::size_t kMaxText = 1 << 16, kMaxCount = 1 << 20;
  KerasWeights k;
  k.layout = static_cast<KerasWeights::Layout>(bounded(1));
  k.layers.resize(bounded(kMaxCount));
  for (KerasLayerWeights& layer : k.layers) {
    layer.name = in.text(kMaxText);
    layer.path = in.text(kMaxText);
    layer.weights.resize(bounded(kMaxCount));
    for (NamedTensor& t : layer.weights) {
      layer.weight_names.push_back(in.text(kMaxText));
      t.shape.resize(bounded(8));
      std::size_t count = 1;
      for (std::int64_t& d : t.shape) {
        d = static_cast<std::int64_t>(bounded(H5Group::kMaxElements));
        count *= static_cast<std::size_t>(d);
        if (count > static_cast<std::size_t>(H5Group::kMaxElements))
          throw Error(fmt::format("{}: its reader sent a tensor too large", what));
      }
      t.values.resize(count);
      in.bytes(t.values.data(), count * sizeof(float));
    }
  }
  return k;
}
}  // namespace

KerasWeights read_keras_weights(const std::string& path) {
  // A .keras archive's weights are read into memory: at most what one process holds.
  constexpr std::size_t kMaxArchiveWeights = std::size_t{16} << 30;
  KerasWeights result;
  run_isolated(
      path,
      [&](PipeWriter& out) {
        if (is_zip(path)) {
          const auto bytes = read_zip_member(path, "model.weights.h5", kMaxArchiveWeights);
          send(out, read_keras_weights(H5File::open_image(bytes, path + ": model.weights.h5")));
        } else {
          send(out, read_keras_weights(H5File::open(path)));
        }
      },
      [&](PipeReader& in) { result = receive(in, path); });
  return result;
}

std::vector<std::string> keras3_layer_paths(const ModelInfo& model) {
  std::vector<std::string> paths;
  std::map<std::string_view, int> used;
  for (const Node& n : model.nodes) {
    if (n.kind == LayerKind::input) {
      paths.emplace_back();
      continue;
    }
    const std::string_view base = snake_name(n.kind);
    const auto [it, first] = used.try_emplace(base, 0);
    paths.push_back(first ? std::string(base) : fmt::format("{}_{}", base, ++it->second));
  }
  return paths;
}

TensorFile keras_tensors_for(const KerasWeights& file, const ModelInfo& model, KerasMatch match,
                             bool skip_mismatch, const std::string& what) {
  const auto slots = slots_by_node(model);
  TensorFile out;
  // The file's layer `from` into node `to`, weight by weight.
  auto assign = [&](const KerasLayerWeights& from, std::size_t to) -> bool {
    const auto& roles = slots[to];
    if (from.weights.size() != roles.size()) {
      if (skip_mismatch) return false;
      throw Error(fmt::format("{}: layer '{}' holds {} weights; layer '{}' of {} ({}) has {}", what,
                              from.name, from.weights.size(), layer_name(model.nodes[to]),
                              model.name, class_name(model.nodes[to].kind), roles.size()));
    }
    for (std::size_t i = 0; i < roles.size(); ++i)
      out.tensors[roles[i]->name(model.nodes)] = from.weights[i];
    return true;
  };
  std::vector<std::size_t> with_weights;
  for (std::size_t i = 0; i < model.nodes.size(); ++i)
    if (!slots[i].empty()) with_weights.push_back(i);

  if (match == KerasMatch::by_name) {
    for (const KerasLayerWeights& layer : file.layers)
      for (std::size_t i : with_weights)
        if (layer_name(model.nodes[i]) == layer.name && !layer.weights.empty()) assign(layer, i);
    return out;
  }
  if (file.layout == KerasWeights::Layout::keras3) {
    // Keras 3 finds each layer's state by its class and position among the model's layers.
    const std::vector<std::string> paths = keras3_layer_paths(model);
    for (std::size_t i : with_weights) {
      const std::string path = "layers/" + paths[i];
      auto it = std::find_if(file.layers.begin(), file.layers.end(),
                             [&](const KerasLayerWeights& l) { return l.path == path; });
      if (it == file.layers.end())
        throw Error(fmt::format("{}: no {} for layer '{}' of {} (the {} of its class)", what, path,
                                layer_name(model.nodes[i]), model.name, paths[i]));
      assign(*it, i);
    }
    return out;
  }
  std::vector<const KerasLayerWeights*> saved;
  for (const KerasLayerWeights& layer : file.layers)
    if (!layer.weights.empty()) saved.push_back(&layer);
  if (saved.size() != with_weights.size())
    throw Error(fmt::format(
        "{}: {} layers with weights; {} has {} (Keras's load_weights matches them in order; "
        "--transfer-from matches them by name)",
        what, saved.size(), model.name, with_weights.size()));
  for (std::size_t k = 0; k < saved.size(); ++k) assign(*saved[k], with_weights[k]);
  return out;
}

void write_keras2_weights(H5Group& group, const ModelInfo& model, const Weights& weights) {
  const auto slots = slots_by_node(model);
  std::vector<std::string> names;
  for (const Node& n : model.nodes)
    if (n.kind != LayerKind::input) names.push_back(layer_name(n));
  group.write_strings("layer_names", names);
  group.write_string("backend", "tensorflow");
  // Loaders compare it only with "1" (Keras 1's layouts); this is Keras 2's layout.
  group.write_string("keras_version", "2.15.0");
  for (std::size_t i = 0; i < model.nodes.size(); ++i) {
    if (model.nodes[i].kind == LayerKind::input) continue;
    const std::string name = layer_name(model.nodes[i]);
    H5Group g = group.create_group(name);
    std::vector<std::string> weight_names;
    for (const TensorSlot* s : slots[i])
      weight_names.push_back(fmt::format("{}/{}:0", name, role_name(s->role)));
    g.write_strings("weight_names", weight_names);
    for (std::size_t k = 0; k < slots[i].size(); ++k) {
      const TensorSlot& s = *slots[i][k];
      g.write_floats(weight_names[k], {s.shape.begin(), s.shape.begin() + s.rank},
                     tensor_of(weights, s).data());
    }
  }
}

void write_keras3_weights(H5Group& root, const ModelInfo& model, const Weights& weights) {
  const auto slots = slots_by_node(model);
  const std::vector<std::string> paths = keras3_layer_paths(model);
  root.create_group("vars").write_string("name", model.name);  // the model's own (none)
  for (std::size_t i = 0; i < model.nodes.size(); ++i) {
    if (model.nodes[i].kind == LayerKind::input) continue;
    H5Group vars = root.create_group("layers/" + paths[i] + "/vars");
    vars.write_string("name", layer_name(model.nodes[i]));
    for (std::size_t k = 0; k < slots[i].size(); ++k) {
      const TensorSlot& s = *slots[i][k];
      vars.write_floats(std::to_string(k), {s.shape.begin(), s.shape.begin() + s.rank},
                        tensor_of(weights, s).data());
    }
  }
}

}  // namespace cnn::runtime
