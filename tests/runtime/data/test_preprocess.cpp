// scikit-learn's preprocessing as some tutorials use it: a new train/test split, MinMaxScaler.
#include <catch2/catch.hpp>

#include <map>

#include "runtime/data/preprocess.hpp"
#include "runtime/error.hpp"

using namespace cnn::runtime;

namespace {
// n images of 2x1x1 whose first pixel is the sample's number, second its label times 10.
Dataset numbered(int first, int n) {
  Dataset d;
  d.source = "numbered";
  d.height = 2;
  d.width = 1;
  d.channels = 1;
  d.classes = 3;
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
