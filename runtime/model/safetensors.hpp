// safetensors files (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
// length, a JSON header naming each tensor's dtype, shape and byte range, then the raw data.
// We write float32 only; we read float32, float64, float16 and bfloat16 (other tools' files:
// PyTorch's, numpy's) as float32. numpy, PyTorch and Keras users read ours with
// `safetensors.numpy.load_file` or twenty lines of json + numpy.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cnn::runtime {

struct NamedTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

struct TensorFile {
  std::map<std::string, std::string> metadata;
  std::map<std::string, NamedTensor> tensors;
};

// IEEE half precision to single (exact: every half is a float), for the readers of
// float16 data.
float half_to_float(std::uint16_t h);

// Written to `path`.tmp, flushed, synced and renamed over `path`: a crash leaves the old file
// whole. The metadata carries the CRC-32 of the data section ("crc32").
void write_safetensors(const std::string& path, const TensorFile& file);

// Validates the header length against the file size, the JSON, the checksum when there is
// one, every dtype, shape and byte range; throws Error naming the file and the fault.
TensorFile read_safetensors(const std::string& path);

}  // namespace cnn::runtime
