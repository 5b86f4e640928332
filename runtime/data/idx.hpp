// The idx format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a magic
// number (0, 0, type 0x08 = unsigned byte, number of dimensions), big-endian 32-bit
// dimensions, then the bytes. Plain or gzipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cnn::runtime {

struct IdxArray {
  std::vector<std::uint32_t> dims;
  std::vector<std::uint8_t> data;
};

// Validates before it trusts: the magic, the dimension count, the product of the dimensions
// (without overflow, at most `max_bytes`), and that the file holds exactly that many bytes.
// Throws Error naming the file and the fault.
IdxArray read_idx(const std::string& path, std::size_t max_bytes = std::size_t{1} << 31);

}  // namespace cnn::runtime
