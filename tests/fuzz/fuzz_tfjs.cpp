// TensorFlow.js model.json manifests over a fixed pair of shards beside them: any bytes give
// the weights, every one of them its shape's count of values, or an Error.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/error.hpp"
#include "runtime/model/tfjs.hpp"

namespace {
const std::string& model_dir() {
  static const std::string dir = [] {
    const std::string d = "/tmp/cnn-fuzz-tfjs-" + std::to_string(getpid());
    std::filesystem::create_directories(d);
    std::ofstream(d + "/group1-shard1.bin", std::ios::binary) << std::string(64, '\x3f');
    std::ofstream(d + "/group1-shard2.bin", std::ios::binary) << std::string(6, '\x01');
    return d;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = model_dir() + "/model.json";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto file = cnn::runtime::read_tfjs_layers_model(path);
    for (const auto& [name, t] : file.tensors) {
      std::size_t count = 1;
      for (auto d : t.shape) count *= static_cast<std::size_t>(d);
      if (count != t.values.size()) __builtin_trap();
    }
  } catch (const cnn::runtime::Error&) {
  }
  return 0;
}
