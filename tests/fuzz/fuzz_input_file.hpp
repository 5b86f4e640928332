// The loaders read files: each fuzz input is written to a file of this process first.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace cnn::fuzz {

inline const std::string& input_file(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/cnn-fuzz-input-" + std::to_string(getpid());
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f != nullptr) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  return path;
}

}  // namespace cnn::fuzz
