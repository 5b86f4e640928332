#include "runtime/model/tfjs.hpp"

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr std::int64_t kMaxValues = std::int64_t{1} << 31;
constexpr std::uintmax_t kMaxModelJson = 64 << 20;

// How one weight is stored: bytes per value and the decoding to float.
struct Encoding {
  int bytes = 4;
  enum class Kind { f32, i32, u8, u16, f16 } kind = Kind::f32;
  double scale = 1, min = 0;
};

float decode(const unsigned char* p, const Encoding& e) {
  switch (e.kind) {
    case Encoding::Kind::f32: {
      float v;
      std::memcpy(&v, p, 4);
      return v;
    }
    case Encoding::Kind::i32: {
      std::int32_t v;
      std::memcpy(&v, p, 4);
      return static_cast<float>(v);
    }
    case Encoding::Kind::u8: return static_cast<float>(p[0] * e.scale + e.min);
    case Encoding::Kind::u16: {
      std::uint16_t v;
      std::memcpy(&v, p, 2);
      return static_cast<float>(v * e.scale + e.min);
    }
    case Encoding::Kind::f16: {
      std::uint16_t v;
      std::memcpy(&v, p, 2);
      return half_to_float(v);
    }
  }
  return 0;
}

Encoding encoding_of(const json& w, const std::string& where) {
  Encoding e;
  const std::string dtype = w.value("dtype", "");
  if (dtype == "int32") {
    e.kind = Encoding::Kind::i32;
  } else if (dtype != "float32") {
    throw Error(fmt::format("{}: dtype '{}' (this program reads float32 and int32)", where, dtype));
  }
  if (!w.contains("quantization")) return e;
  const json& q = w["quantization"];
  if (!q.is_object()) throw Error(fmt::format("{}: a malformed quantization", where));
  const std::string qtype = q.value("dtype", "");
  if (qtype == "float16") {
    e.kind = Encoding::Kind::f16;
    e.bytes = 2;
    return e;
  }
  if (qtype != "uint8" && qtype != "uint16")
    throw Error(
        fmt::format("{}: quantization to '{}' (this program reads uint8, uint16 and "
                    "float16)",
                    where, qtype));
  if (!q.contains("scale") || !q["scale"].is_number() || !q.contains("min") ||
      !q["min"].is_number())
    throw Error(fmt::format("{}: a quantization without its scale and min", where));
  e.kind = qtype == "uint8" ? Encoding::Kind::u8 : Encoding::Kind::u16;
  e.bytes = qtype == "uint8" ? 1 : 2;
  e.scale = q["scale"].get<double>();
  e.min = q["min"].get<double>();
  return e;
}

std::vector<unsigned char> read_shards(const fs::path& dir, const json& paths,
                                       const std::string& where) {
  if (!paths.is_array() || paths.empty())
    throw Error(fmt::format("{}: a weights group without shard paths", where));
  std::vector<unsigned char> bytes;
  for (const json& p : paths) {
    if (!p.is_string()) throw Error(fmt::format("{}: a shard path that is not a string", where));
    const std::string name = p.get<std::string>();
    // Shards sit beside model.json: a path that climbs out is refused, not followed.
    const fs::path rel(name);
    if (name.empty() || rel.is_absolute() || rel.has_root_path() ||
        std::any_of(rel.begin(), rel.end(), [](const fs::path& c) { return c == ".."; }))
      throw Error(fmt::format("{}: shard path '{}' leaves the model's directory", where, name));
    const fs::path file = dir / rel;
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) throw Error(fmt::format("{}: cannot read shard {}", where, file.string()));
    if (bytes.size() + size > static_cast<std::uintmax_t>(kMaxValues) * 4)
      throw Error(fmt::format("{}: shards larger than any model this program loads", where));
    std::ifstream in(file, std::ios::binary);
    const std::size_t at = bytes.size();
    bytes.resize(at + size);
    if (!in.read(reinterpret_cast<char*>(bytes.data() + at), static_cast<std::streamsize>(size)))
      throw Error(fmt::format("{}: cannot read shard {}", where, file.string()));
  }
  return bytes;
}
}  // namespace

bool is_tfjs_model_path(const std::string& path) { return path.ends_with(".json"); }

TensorFile read_tfjs_layers_model(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw Error(fmt::format("{}: cannot read it", path));
  if (size > kMaxModelJson)
    throw Error(fmt::format("{}: {} bytes, too large for a model.json", path, size));
  std::ifstream in(path, std::ios::binary);
  const json model = json::parse(in, nullptr, false);
  if (model.is_discarded() || !model.is_object())
    throw Error(fmt::format("{}: not JSON (a TensorFlow.js model.json?)", path));
  if (!model.contains("weightsManifest") || !model["weightsManifest"].is_array())
    throw Error(fmt::format("{}: no weightsManifest: not a TensorFlow.js layers model", path));
  TensorFile file;
  file.metadata["origin"] = "a TensorFlow.js layers model";
  if (model.contains("modelTopology") && model["modelTopology"].is_object())
    file.metadata["keras_version"] = model["modelTopology"].value("keras_version", "");
  const fs::path dir = fs::path(path).parent_path();
  for (const json& group : model["weightsManifest"]) {
    if (!group.is_object() || !group.contains("weights") || !group["weights"].is_array())
      throw Error(fmt::format("{}: a malformed weights group", path));
    const std::vector<unsigned char> bytes = read_shards(dir, group.value("paths", json()), path);
    std::size_t offset = 0;
    for (const json& w : group["weights"]) {
      if (!w.is_object() || !w.contains("name") || !w["name"].is_string() || !w.contains("shape") ||
          !w["shape"].is_array())
        throw Error(fmt::format("{}: a weight without its name or shape", path));
      const std::string name = w["name"].get<std::string>();
      const std::string where = fmt::format("{}: weight {}", path, name);
      const Encoding e = encoding_of(w, where);
      NamedTensor t;
      std::int64_t count = 1;
      for (const json& d : w["shape"]) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0 ||
            d.get<std::int64_t>() > kMaxValues)
          throw Error(fmt::format("{}: a malformed dimension", where));
        t.shape.push_back(d.get<std::int64_t>());
        count *= t.shape.back();
        if (count > kMaxValues)
          throw Error(fmt::format("{}: more than {} values", where, kMaxValues));
      }
      const std::size_t need = static_cast<std::size_t>(count) * static_cast<std::size_t>(e.bytes);
      if (offset + need > bytes.size())
        throw Error(fmt::format("{}: the shards end before it does ({} bytes of {} left)", where,
                                bytes.size() - offset, need));
      t.values.resize(static_cast<std::size_t>(count));
      for (std::size_t i = 0; i < t.values.size(); ++i)
        t.values[i] = decode(bytes.data() + offset + i * static_cast<std::size_t>(e.bytes), e);
      offset += need;
      if (!file.tensors.emplace(name, std::move(t)).second)
        throw Error(fmt::format("{}: two weights named {}", path, name));
    }
    if (offset != bytes.size())
      throw Error(fmt::format("{}: the shards hold {} bytes more than its weights", path,
                              bytes.size() - offset));
  }
  return file;
}

}  // namespace cnn::runtime
