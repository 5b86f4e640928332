#include "runtime/data/preprocess.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
// `from`'s sample `i` appended to `to`.
void append(Dataset& to, const Dataset& from, std::size_t i) {
  to.pixels.insert(to.pixels.end(), from.image(i), from.image(i) + from.image_elements());
  to.labels.push_back(from.labels[i]);
}
}  // namespace

TrainTest resplit(const TrainTest& data, double test_fraction, std::uint64_t seed) {
  const std::size_t total = data.train.size() + data.test.size();
  const auto test_size = static_cast<std::size_t>(std::llround(test_fraction * double(total)));
  if (!(test_fraction > 0 && test_fraction < 1) || test_size == 0 || test_size == total)
    throw Error(
        fmt::format("a test split of {} leaves {} of {} samples for testing: choose a "
                    "fraction in (0, 1) that leaves samples on both sides",
                    test_fraction, test_size, total));
  std::vector<std::size_t> order(total);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  TrainTest out;
  for (Dataset* d : {&out.train, &out.test}) {
    *d = data.train.slice(0, 0);
    d->source = data.train.source + " (resplit)";
  }
  for (std::size_t k = 0; k < total; ++k) {
    const std::size_t i = order[k];
    const bool in_train = i < data.train.size();
    append(k < total - test_size ? out.train : out.test, in_train ? data.train : data.test,
           in_train ? i : i - data.train.size());
  }
  return out;
}

void min_max_scale(TrainTest& data) {
  Dataset& train = data.train;
  const std::size_t features = train.image_elements();
  if (train.size() == 0) return;
  std::vector<float> low(train.image(0), train.image(0) + features), high = low;
  for (std::size_t i = 1; i < train.size(); ++i)
    for (std::size_t j = 0; j < features; ++j) {
      low[j] = std::min(low[j], train.image(i)[j]);
      high[j] = std::max(high[j], train.image(i)[j]);
    }
  for (Dataset* d : {&data.train, &data.test})
    for (std::size_t k = 0; k < d->pixels.size(); ++k) {
      const std::size_t j = k % features;
      const float range = high[j] - low[j];
      d->pixels[k] = (d->pixels[k] - low[j]) / (range > 0 ? range : 1.0f);
    }
}

void preprocess_input(Dataset& data, std::string_view mode) {
  if (mode.empty()) return;
  if (mode != "caffe" && mode != "tf" && mode != "torch")
    throw Error(fmt::format("unknown preprocess_input mode '{}': choose caffe, tf or torch", mode));
  if (mode == "tf") {
    for (float& x : data.pixels) x = 2 * x - 1;  // x * 255 / 127.5 - 1
    return;
  }
  if (data.channels != 3)
    throw Error(fmt::format("preprocess_input '{}' takes RGB images; {} has {} channel(s)", mode,
                            data.source, data.channels));
  // ImageNet's statistics, as Keras's imagenet_utils has them (RGB order).
  constexpr float kCaffeMean[3] = {123.68f, 116.779f, 103.939f};
  constexpr float kTorchMean[3] = {0.485f, 0.456f, 0.406f}, kTorchStd[3] = {0.229f, 0.224f, 0.225f};
  for (std::size_t i = 0; i + 3 <= data.pixels.size(); i += 3) {
    float* p = data.pixels.data() + i;
    if (mode == "caffe") {
      const float r = p[0] * 255, g = p[1] * 255, b = p[2] * 255;
      p[0] = b - kCaffeMean[2];
      p[1] = g - kCaffeMean[1];
      p[2] = r - kCaffeMean[0];
    } else {
      for (int c = 0; c < 3; ++c) p[c] = (p[c] - kTorchMean[c]) / kTorchStd[c];
    }
  }
}

}  // namespace cnn::runtime
