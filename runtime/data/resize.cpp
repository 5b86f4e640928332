#include "runtime/data/resize.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace cnn::runtime {

namespace {
// Where output coordinate `out` samples the input along one axis: between `lower` and
// `upper`, `lerp` of the way (TensorFlow's half-pixel centres: (out + 0.5) * in / out - 0.5).
struct Sample {
  int lower, upper;
  float lerp;
};
std::vector<Sample> samples(int in_size, int out_size) {
  const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
  std::vector<Sample> s(static_cast<std::size_t>(out_size));
  for (int o = 0; o < out_size; ++o) {
    const float at = (static_cast<float>(o) + 0.5f) * scale - 0.5f;
    const float below = std::floor(at);
    s[static_cast<std::size_t>(o)] = {std::max(static_cast<int>(below), 0),
                                      std::min(static_cast<int>(std::ceil(at)), in_size - 1),
                                      at - below};
  }
  return s;
}
}  // namespace

std::vector<float> resized_bilinear(const Image& image, int height, int width) {
  const int c = image.channels;
  const std::vector<Sample> ys = samples(image.height, height), xs = samples(image.width, width);
  auto pixel = [&](int y, int x, int k) {
    return static_cast<float>(
        image.pixels[(static_cast<std::size_t>(y) * image.width + x) * c + k]);
  };
  std::vector<float> out(static_cast<std::size_t>(height) * width * c);
  float* o = out.data();
  for (const Sample& y : ys)
    for (const Sample& x : xs)
      for (int k = 0; k < c; ++k) {
        const float top_left = pixel(y.lower, x.lower, k), top_right = pixel(y.lower, x.upper, k);
        const float bottom_left = pixel(y.upper, x.lower, k),
                    bottom_right = pixel(y.upper, x.upper, k);
        const float top = top_left + (top_right - top_left) * x.lerp;
        const float bottom = bottom_left + (bottom_right - bottom_left) * x.lerp;
        *o++ = top + (bottom - top) * y.lerp;
      }
  return out;
}

}  // namespace cnn::runtime
