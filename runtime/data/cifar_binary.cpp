#include "runtime/data/cifar_binary.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace fs = std::filesystem;

namespace {
constexpr int side = 32;
constexpr std::size_t plane = side * side;
constexpr std::size_t record = 1 + 3 * plane;

const char* const cifar10_classes[] = {"airplane", "automobile", "bird",  "cat",  "deer",
                                       "dog",      "frog",       "horse", "ship", "truck"};

Dataset empty_cifar(const std::string& source) {
  Dataset d;
  d.source = source;
  d.height = d.width = side;
  d.channels = 3;
  d.classes = 10;
  d.class_names.assign(std::begin(cifar10_classes), std::end(cifar10_classes));
  return d;
}

void append(Dataset& to, const Dataset& from) {
  to.labels.insert(to.labels.end(), from.labels.begin(), from.labels.end());
  to.pixels.insert(to.pixels.end(), from.pixels.begin(), from.pixels.end());
}
}  // namespace

Dataset read_cifar_binary(const std::string& path) {
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  if (ec) throw Error(fmt::format("{}: no such file", path));
  if (bytes == 0 || bytes % record != 0)
    throw Error(fmt::format("{}: {} bytes is not a whole number of {}-byte CIFAR-10 records", path,
                            bytes, record));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot open", path));
  const std::size_t count = bytes / record;
  Dataset d = empty_cifar(path);
  d.labels.resize(count);
  d.pixels.resize(count * 3 * plane);
  std::vector<unsigned char> r(record);
  for (std::size_t i = 0; i < count; ++i) {
    if (!in.read(reinterpret_cast<char*>(r.data()), static_cast<std::streamsize>(record)))
      throw Error(fmt::format("{}: cannot read record {}", path, i));
    if (r[0] >= 10)
      throw Error(fmt::format("{}: record {} has label {}, not a class 0..9", path, i, r[0]));
    d.labels[i] = r[0];
    float* out = d.pixels.data() + i * 3 * plane;
    for (std::size_t p = 0; p < plane; ++p)  // planar RGB -> interleaved (HWC)
      for (std::size_t c = 0; c < 3; ++c) out[p * 3 + c] = r[1 + c * plane + p] / 255.0f;
  }
  return d;
}

bool is_cifar_binary_dir(const std::string& dir) {
  return fs::is_regular_file(fs::path(dir) / "data_batch_1.bin");
}

TrainTest load_cifar_binary(const std::string& dir) {
  TrainTest tt;
  tt.train = empty_cifar((fs::path(dir) / "data_batch_*.bin").string());
  for (int b = 1; b <= 5; ++b) {
    const fs::path p = fs::path(dir) / fmt::format("data_batch_{}.bin", b);
    if (!fs::is_regular_file(p))
      throw Error(fmt::format("{}: missing; CIFAR-10's binary version has data_batch_1..5.bin",
                              p.string()));
    append(tt.train, read_cifar_binary(p.string()));
  }
  const fs::path test = fs::path(dir) / "test_batch.bin";
  if (fs::is_regular_file(test)) tt.test = read_cifar_binary(test.string());
  return tt;
}

}  // namespace cnn::runtime
