// CIFAR-10 binary batches: any bytes give records with labels 0..9 or an Error.
#include "runtime/data/cifar_binary.hpp"
#include "runtime/error.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto d = cnn::runtime::read_cifar_binary(cnn::fuzz::input_file(data, size));
    for (auto label : d.labels)
      if (label >= 10) __builtin_trap();
    if (d.pixels.size() != d.size() * 32 * 32 * 3) __builtin_trap();
  } catch (const cnn::runtime::Error&) {
  }
  return 0;
}
