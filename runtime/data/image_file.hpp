// Reading one JPEG or PNG image (chosen by its magic bytes, not its name) into 8-bit
// pixels with the channels asked for: 1 (grey) or 3 (RGB), converting as Keras's
// color_mode does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cnn::runtime {

struct Image {
  int height = 0;
  int width = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;  // HWC
};

// Throws Error naming the file when it is not a JPEG or PNG, is damaged, or is larger than
// `max_side` pixels on a side.
Image read_image(const std::string& path, int channels, int max_side = 16384);

}  // namespace cnn::runtime
