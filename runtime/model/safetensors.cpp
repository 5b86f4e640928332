#include "runtime/model/safetensors.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
constexpr std::uint64_t kMaxHeaderBytes = 100u << 20;
// The metadata entry that holds the CRC-32 of the data section, in hex.
constexpr const char* kChecksumKey = "crc32";

void put_u64_le(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
}  // namespace

void write_safetensors(const std::string& path, const TensorFile& file) {
  nlohmann::json header = nlohmann::json::object();
  auto metadata = file.metadata;
  uLong crc = crc32(0L, Z_NULL, 0);
  for (const auto& [name, t] : file.tensors)
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(t.values.data()),
                  t.values.size() * sizeof(float));
  metadata[kChecksumKey] = fmt::format("{:08x}", crc);
  header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    const std::uint64_t bytes = t.values.size() * sizeof(float);
    header[name] = {
        {"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the data starts 8-byte aligned

  std::string prefix;
  put_u64_le(prefix, text.size());
  // Named by process too, so that two writers of one path never rename each other's file.
  const std::string tmp = fmt::format("{}.tmp{}", path, getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw Error(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
  bool ok = std::fwrite(prefix.data(), 1, prefix.size(), f) == prefix.size() &&
            std::fwrite(text.data(), 1, text.size(), f) == text.size();
  for (const auto& [name, t] : file.tensors)  // float32 is little-endian on every target we build
    ok = ok && std::fwrite(t.values.data(), sizeof(float), t.values.size(), f) == t.values.size();
  ok = ok && std::fflush(f) == 0 && fsync(fileno(f)) == 0;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: write failed: {}", path, std::strerror(errno)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: cannot replace: {}", path, std::strerror(errno)));
  }
  // The rename itself is durable once the directory is synced.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const int dir = open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu, bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // infinity or NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {  // subnormal: normalize
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

namespace {

// Another tool's tensors as float32 (little-endian, as the format says).
std::vector<float> to_floats(const std::string& dtype, const char* bytes, std::uint64_t count) {
  std::vector<float> values(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (dtype == "F32") {
      std::memcpy(&values[i], bytes + 4 * i, 4);
    } else if (dtype == "F64") {
      double v;
      std::memcpy(&v, bytes + 8 * i, 8);
      values[i] = static_cast<float>(v);
    } else {
      std::uint16_t v;
      std::memcpy(&v, bytes + 2 * i, 2);
      values[i] = dtype == "BF16" ? std::bit_cast<float>(static_cast<std::uint32_t>(v) << 16)
                                  : half_to_float(v);
    }
  }
  return values;
}
}  // namespace

TensorFile read_safetensors(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(fmt::format("{}: cannot read: {}", path, ec.message()));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot open", path));
  unsigned char len_bytes[8];
  if (size < 8 || !in.read(reinterpret_cast<char*>(len_bytes), 8))
    throw Error(fmt::format("{}: not a safetensors file (shorter than 8 bytes)", path));
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
  if (header_len > kMaxHeaderBytes || header_len > size - 8)
    throw Error(fmt::format("{}: not a safetensors file (header length {} for a file of {} bytes)",
                            path, header_len, size));
  std::string text(header_len, '\0');
  in.read(text.data(), static_cast<std::streamsize>(header_len));
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: malformed header: {}", path, e.what()));
  }
  if (!header.is_object()) throw Error(fmt::format("{}: malformed header: not an object", path));
  const std::uint64_t data_bytes = size - 8 - header_len;
  std::vector<char> data(data_bytes);
  in.read(data.data(), static_cast<std::streamsize>(data_bytes));
  if (!in) throw Error(fmt::format("{}: truncated", path));

  TensorFile file;
  if (header.contains("__metadata__") && header["__metadata__"].is_object() &&
      header["__metadata__"].contains(kChecksumKey)) {
    const auto stored = header["__metadata__"][kChecksumKey];
    const uLong crc =
        crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data.data()), data.size());
    if (!stored.is_string() || stored.get<std::string>() != fmt::format("{:08x}", crc))
      throw Error(
          fmt::format("{}: damaged: its data does not match its checksum (crc32 {}, "
                      "computed {:08x})",
                      path, stored.dump(), crc));
  }
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) throw Error(fmt::format("{}: __metadata__ is not an object", path));
      for (const auto& [k, v] : entry.items())
        if (v.is_string()) file.metadata[k] = v.get<std::string>();
      continue;
    }
    try {
      const std::string dtype = entry.at("dtype").get<std::string>();
      const std::size_t item = dtype == "F32"                        ? 4
                               : dtype == "F64"                      ? 8
                               : (dtype == "F16" || dtype == "BF16") ? 2
                                                                     : 0;
      if (item == 0)
        throw Error(fmt::format("{}: tensor {} has dtype {}; expected F32, F64, F16 or BF16", path,
                                name, entry.at("dtype").dump()));
      NamedTensor t;
      std::uint64_t count = 1;
      for (const auto& d : entry.at("shape")) {
        const auto v = d.get<std::int64_t>();
        if (v < 0 || (v > 0 && count > data_bytes / static_cast<std::uint64_t>(v)))
          throw Error(fmt::format("{}: tensor {} has an impossible shape {}", path, name,
                                  entry.at("shape").dump()));
        count *= static_cast<std::uint64_t>(v);
        t.shape.push_back(v);
      }
      const auto begin = entry.at("data_offsets").at(0).get<std::uint64_t>();
      const auto end = entry.at("data_offsets").at(1).get<std::uint64_t>();
      if (begin > end || end > data_bytes || end - begin != count * item)
        throw Error(
            fmt::format("{}: tensor {} has byte range [{}, {}) that does not fit its "
                        "shape or the file",
                        path, name, begin, end));
      t.values = to_floats(dtype, data.data() + begin, count);
      file.tensors.emplace(name, std::move(t));
    } catch (const nlohmann::json::exception& e) {
      throw Error(fmt::format("{}: malformed entry for tensor {}: {}", path, name, e.what()));
    }
  }
  return file;
}

}  // namespace cnn::runtime
