// idx files, plain or gzipped: any bytes give an IdxArray or an Error, never a crash or a
// huge allocation (the limit is 1 MB here).
#include "runtime/data/idx.hpp"
#include "runtime/error.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto a = cnn::runtime::read_idx(cnn::fuzz::input_file(data, size), std::size_t{1} << 20);
    std::size_t product = 1;
    for (auto d : a.dims) product *= d;
    if (product != a.data.size()) __builtin_trap();  // the dimensions must describe the data
  } catch (const cnn::runtime::Error&) {
  }
  return 0;
}
