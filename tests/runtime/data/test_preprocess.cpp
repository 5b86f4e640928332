// Preprocessing as tutorials do it: scikit-learn's new train/test split and MinMaxScaler,
// keras.applications' preprocess_input.
#include <catch2/catch.hpp>

#include <map>

#include "runtime/data/preprocess.hpp"
#include "runtime/error.hpp"

using namespace cnn::runtime;

namespace {
// A data set of `height` x `width` x `channels` images and `classes` classes, no samples yet.
Dataset shaped(const std::string& source, int height, int width, int channels, int classes) {
  Dataset d;
  d.source = source;
  d.height = height;
  d.width = width;
  d.channels = channels;
  d.classes = classes;
  return d;
}
// n images of 2x1x1 whose first pixel is the sample's number, second its label times 10.
Dataset numbered(int first, int n) {
  Dataset d = shaped("numbered", 2, 1, 1, 3);
  for (int i = first; i < first + n; ++i) {
    d.labels.push_back(static_cast<std::uint8_t>(i % 3));
    d.pixels.push_back(static_cast<float>(i));
    d.pixels.push_back(static_cast<float>(i % 3) * 10);
  }
  return d;
}
}  // namespace

TEST_CASE("a resplit pools train and test and splits them anew, the same way every time") {
  const TrainTest data{numbered(0, 80), numbered(80, 20)};
  const TrainTest a = resplit(data, 0.25, 7), b = resplit(data, 0.25, 7),
                  c = resplit(data, 0.25, 8);
  CHECK(a.train.size() == 75);
  CHECK(a.test.size() == 25);
  CHECK(a.train.pixels == b.train.pixels);
  CHECK(a.train.pixels != c.train.pixels);
  // Every sample once, with its own label, and both old sets on both new sides.
  std::map<int, int> seen;
  int from_old_test_in_train = 0;
  for (const Dataset* d : {&a.train, &a.test})
    for (std::size_t i = 0; i < d->size(); ++i) {
      const int sample = static_cast<int>(d->image(i)[0]);
      ++seen[sample];
      CHECK(d->labels[i] == sample % 3);
      CHECK(d->image(i)[1] == static_cast<float>(sample % 3) * 10);
      from_old_test_in_train += d == &a.train && sample >= 80;
    }
  CHECK(seen.size() == 100);
  for (const auto& [sample, count] : seen) CHECK(count == 1);
  CHECK(from_old_test_in_train > 0);
  CHECK_THROWS_AS(resplit(data, 0.0, 1), Error);
  CHECK_THROWS_WITH(resplit(data, 1.0, 1), Catch::Contains("leaves samples on both sides"));
}

TEST_CASE("min-max scaling maps the training set's range of each feature to [0, 1]") {
  TrainTest data{numbered(10, 11), numbered(0, 30)};  // train: first pixel 10..20
  for (std::size_t i = 0; i < data.train.size(); ++i) data.train.pixels[2 * i + 1] = 5;  // constant
  min_max_scale(data);
  float low = 1e9f, high = -1e9f;
  for (std::size_t i = 0; i < data.train.size(); ++i) {
    low = std::min(low, data.train.image(i)[0]);
    high = std::max(high, data.train.image(i)[0]);
    CHECK(data.train.image(i)[1] == 0.0f);  // a constant feature is only shifted
  }
  CHECK(low == 0.0f);
  CHECK(high == 1.0f);
  // The test set is scaled by the training set's range, not its own: sample 0 lies below it.
  CHECK(data.test.image(0)[0] == Approx(-1.0));
  CHECK(data.test.image(25)[0] == Approx(1.5));
  CHECK(data.test.image(1)[1] == Approx((10.0 - 5.0) / 1.0));
}

TEST_CASE("preprocess_input's modes give Keras's values") {
  // Two RGB pixels, x / 255 of (255, 128, 0) and (0, 51, 255).
  Dataset d = shaped("two pixels", 1, 2, 3, 1);
  d.labels = {0};
  const std::vector<float> rgb = {1.0f, 128 / 255.0f, 0.0f, 0.0f, 0.2f, 1.0f};
  auto run = [&](std::string_view mode) {
    Dataset copy = d;
    copy.pixels = rgb;
    preprocess_input(copy, mode);
    return copy.pixels;
  };
  auto near = [](const std::vector<float>& got, const std::vector<float>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(1e-4));
  };
  // caffe: BGR, minus (103.939, 116.779, 123.68).
  near(run("caffe"), {-103.939f, 11.221f, 131.32f, 151.061f, -65.779f, -123.68f});
  near(run("tf"), {1.0f, 0.003922f, -1.0f, -1.0f, -0.6f, 1.0f});
  near(run("torch"), {(1 - 0.485f) / 0.229f, (128 / 255.0f - 0.456f) / 0.224f, -0.406f / 0.225f,
                      -0.485f / 0.229f, (0.2f - 0.456f) / 0.224f, (1 - 0.406f) / 0.225f});
  CHECK(run("") == rgb);
  CHECK_THROWS_WITH(run("inception"), Catch::Contains("unknown preprocess_input mode 'inception'"));
  Dataset grey = numbered(0, 2);
  CHECK_THROWS_WITH(preprocess_input(grey, "caffe"),
                    Catch::Contains("takes RGB images; numbered has 1 channel(s)"));
  REQUIRE_NOTHROW(preprocess_input(grey, "tf"));
  CHECK(grey.pixels[2] == Approx(1.0f));  // sample 1's first pixel, 1, becomes 2 * 1 - 1
}
