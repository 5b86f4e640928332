// JPEG and PNG files: any bytes give an image of the size it declares or an Error.
#include "runtime/data/image_file.hpp"
#include "runtime/error.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (int channels : {1, 3}) {
    try {
      const auto image =
          cnn::runtime::read_image(cnn::fuzz::input_file(data, size), channels, 1024);
      if (image.pixels.size() != static_cast<std::size_t>(image.height) * image.width * channels)
        __builtin_trap();
    } catch (const cnn::runtime::Error&) {
    }
  }
  return 0;
}
