#include "runtime/model/keras_archive.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>

#include "runtime/error.hpp"
#include "runtime/model/hdf5.hpp"
#include "runtime/model/keras_weights.hpp"

namespace cnn::runtime {

using nlohmann::json;

namespace {
// Keras's own guard against bombs (saving_lib._reject_zip_bomb), with a lower floor since
// the member is read into memory here.
constexpr std::size_t kBombFloor = std::size_t{64} << 20;
constexpr std::size_t kMaxExpansion = 100;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipHandle = std::unique_ptr<zip_t, ZipCloser>;

json pair(Size2 s) { return json::array({s.height, s.width}); }
json range(const Range& r) { return json::array({r.lower, r.upper}); }

// A layer's Keras arguments, by the names Keras gives them (which the DSL's structs use).
json layer_config(const Node& n) {
  json c = {{"name", std::string(n.name.view())}, {"trainable", n.trainable}, {"dtype", "float32"}};
  visit(n, [&](const auto& layer) {
    if constexpr (requires { layer.height; }) {
      c["batch_shape"] = json::array({nullptr, layer.height, layer.width, layer.channels});
      c["sparse"] = false;
      c.erase("trainable");
    }
    if constexpr (requires { layer.filters; }) c["filters"] = layer.filters;
    if constexpr (requires { layer.units; }) c["units"] = layer.units;
    if constexpr (requires { layer.kernel_size; }) c["kernel_size"] = pair(layer.kernel_size);
    if constexpr (requires { layer.pool_size; }) c["pool_size"] = pair(layer.pool_size);
    if constexpr (requires { layer.effective_strides(); })
      c["strides"] = pair(layer.effective_strides());
    else if constexpr (requires { layer.strides; })
      c["strides"] = pair(layer.strides);
    if constexpr (requires { layer.padding == Padding::same; })
      c["padding"] = layer.padding == Padding::same ? "same" : "valid";
    if constexpr (requires {
                    layer.padding.top;
                  })  // ZeroPadding2D's ((top, bottom), (left, right))
      c["padding"] = json::array({json::array({layer.padding.top, layer.padding.bottom}),
                                  json::array({layer.padding.left, layer.padding.right})});
    if constexpr (
        requires { layer.kernel_size; } || requires { layer.pool_size; } ||
        requires { layer.padding.top; })
      c["data_format"] = "channels_last";
    if constexpr (requires { layer.activation; })
      c["activation"] = std::string(activation_name(layer.activation));
    if constexpr (requires { layer.use_bias; }) c["use_bias"] = layer.use_bias;
    if constexpr (requires { layer.rate; }) c["rate"] = layer.rate;
    if constexpr (requires { layer.momentum; }) c["momentum"] = layer.momentum;
    if constexpr (requires { layer.epsilon; }) c["epsilon"] = layer.epsilon;
    if constexpr (requires { layer.center; }) c["center"] = layer.center;
    if constexpr (requires { layer.scale; }) c["scale"] = layer.scale;
    if constexpr (requires { layer.mode; }) c["mode"] = std::string(mode_name(layer.mode));
    if constexpr (requires { layer.factor; }) c["factor"] = range(layer.factor);
    if constexpr (requires { layer.height_factor; })
      c["height_factor"] = range(layer.height_factor);
    if constexpr (requires { layer.width_factor; })  // RandomZoom's zero: Keras's None
      c["width_factor"] = layer.width_factor.zero() && n.kind == LayerKind::random_zoom
                              ? json(nullptr)
                              : range(layer.width_factor);
    if constexpr (requires { layer.fill_mode; })
      c["fill_mode"] = std::string(mode_name(layer.fill_mode));
    if (n.kind == LayerKind::concatenate) c["axis"] = -1;
  });
  return c;
}

// Keras 3's reference to a layer's output: a __keras_tensor__ with its shape and history.
json keras_tensor(const Node& from) {
  json shape = json::array({nullptr});
  if (from.output.rank == 3) {
    shape.push_back(from.output.height);
    shape.push_back(from.output.width);
  }
  shape.push_back(from.output.channels);
  return {{"class_name", "__keras_tensor__"},
          {"config",
           {{"shape", shape},
            {"dtype", "float32"},
            {"keras_history", json::array({std::string(from.name.view()), 0, 0})}}}};
}

void check(bool ok, const std::string& path, const std::string& what) {
  if (!ok) throw Error(fmt::format("{}: {}", path, what));
}
}  // namespace

bool is_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[4] = {};
  in.read(sig, 4);
  return in.gcount() == 4 && std::memcmp(sig, "PK\x03\x04", 4) == 0;
}

std::vector<char> read_zip_member(const std::string& path, const std::string& member,
                                  std::size_t max_size) {
  int code = 0;
  ZipHandle zip(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
  if (!zip) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(fmt::format("{}: not a readable zip archive ({})", path, why));
  }
  const zip_int64_t index = zip_name_locate(zip.get(), member.c_str(), 0);
  check(index >= 0, path, fmt::format("the archive has no {}", member));
  zip_stat_t st;
  zip_stat_init(&st);
  check(zip_stat_index(zip.get(), static_cast<zip_uint64_t>(index), 0, &st) == 0 &&
            (st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE),
        path, fmt::format("cannot read the entry of {}", member));
  check(st.size <= max_size, path,
        fmt::format("{} declares {} bytes (at most {} read)", member, st.size, max_size));
  check(st.size <= kBombFloor || st.size <= kMaxExpansion * st.comp_size, path,
        fmt::format("{} declares {} bytes but stores {}: a decompression bomb", member, st.size,
                    st.comp_size));
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
      zip_fopen_index(zip.get(), static_cast<zip_uint64_t>(index), 0), &zip_fclose);
  check(file != nullptr, path, fmt::format("cannot open {}: {}", member, zip_strerror(zip.get())));
  std::vector<char> bytes(static_cast<std::size_t>(st.size));
  std::size_t got = 0;
  while (got < bytes.size()) {
    const zip_int64_t n = zip_fread(file.get(), bytes.data() + got, bytes.size() - got);
    check(n > 0, path, fmt::format("{} is truncated or corrupt", member));
    got += static_cast<std::size_t>(n);
  }
  char extra;  // more than it declared, or a bad checksum at its end
  check(zip_fread(file.get(), &extra, 1) == 0, path,
        fmt::format("{} is corrupt (its data does not end where it says)", member));
  return bytes;
}

json keras_model_config(const ModelInfo& model) {
  json layers = json::array();
  for (const Node& n : model.nodes) {
    json layer = {
        {"module", "keras.layers"},           {"class_name", std::string(class_name(n.kind))},
        {"config", layer_config(n)},          {"registered_name", nullptr},
        {"name", std::string(n.name.view())}, {"inbound_nodes", json::array()}};
    if (n.input_count > 0) {
      json inputs = json::array();
      for (int k = 0; k < n.input_count; ++k)
        inputs.push_back(keras_tensor(model.nodes[static_cast<std::size_t>(n.input(k))]));
      // A merge takes its inputs as one list argument; other layers take one tensor.
      json args = n.input_count > 1 ? json::array({inputs}) : inputs;
      layer["inbound_nodes"].push_back({{"args", args}, {"kwargs", json::object()}});
    }
    layers.push_back(std::move(layer));
  }
  // One input and one output, as Model(inputs=x, outputs=y) writes them: bare, not in lists.
  auto ref = [&](int node) {
    return json::array(
        {std::string(model.nodes[static_cast<std::size_t>(node)].name.view()), 0, 0});
  };
  return {{"module", "keras.src.models.functional"},
          {"class_name", "Functional"},
          {"config",
           {{"name", model.name},
            {"trainable", true},
            {"layers", layers},
            {"input_layers", ref(0)},
            {"output_layers", ref(model.output)}}},
          {"registered_name", "Functional"},
          {"build_config", {{"input_shape", nullptr}}},
          {"compile_config", nullptr}};
}

void save_keras_archive(const std::string& path, const ModelInfo& model, const Weights& weights) {
  const std::string tmp = path + ".tmp", weights_tmp = path + ".weights.tmp";
  const std::string config = keras_model_config(model).dump();
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d@%H:%M:%S", std::localtime(&now));
  // The layout of Keras 3.0's archives, which later versions read.
  const std::string metadata = json{{"keras_version", "3.0.0"}, {"date_saved", date}}.dump();
  try {
    {
      H5File file = H5File::create(weights_tmp);
      H5Group root = file.root();
      write_keras3_weights(root, model, weights);
      file.close();
    }
    std::remove(tmp.c_str());
    int code = 0;
    ZipHandle zip(zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
    check(zip != nullptr, tmp, "cannot create it");
    auto add = [&](const char* name, zip_source_t* source) {
      check(source != nullptr, tmp, fmt::format("cannot add {}", name));
      const zip_int64_t i = zip_file_add(zip.get(), name, source, ZIP_FL_OVERWRITE);
      if (i < 0) zip_source_free(source);
      check(i >= 0 && zip_set_file_compression(zip.get(), static_cast<zip_uint64_t>(i),
                                               ZIP_CM_STORE, 0) == 0,
            tmp, fmt::format("cannot add {}: {}", name, zip_strerror(zip.get())));
    };
    add("metadata.json", zip_source_buffer(zip.get(), metadata.data(), metadata.size(), 0));
    add("config.json", zip_source_buffer(zip.get(), config.data(), config.size(), 0));
    add("model.weights.h5", zip_source_file(zip.get(), weights_tmp.c_str(), 0, -1));
    check(zip_close(zip.get()) == 0, tmp,
          fmt::format("cannot write it: {}", zip_strerror(zip.get())));
    zip.release();  // closed
    std::remove(weights_tmp.c_str());
    check(std::rename(tmp.c_str(), path.c_str()) == 0, path,
          fmt::format("cannot rename {} into place", tmp));
  } catch (...) {
    std::remove(weights_tmp.c_str());
    std::remove(tmp.c_str());
    throw;
  }
}

}  // namespace cnn::runtime
