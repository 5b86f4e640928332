// What training and evaluation write for people: the history as CSV and JSON, the
// confusion matrix with precision and recall, and the PNG figures.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "runtime/report/confusion.hpp"
#include "runtime/report/history.hpp"
#include "runtime/report/plots.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cnn::runtime;
using cnn::tests::TempDir;

namespace {

std::vector<EpochLog> two_epochs() {
  EpochLog a, b;
  a.epoch = 1, a.loss = 0.5, a.accuracy = 0.8, a.learning_rate = 0.001, a.val_loss = 0.4,
  a.val_accuracy = 0.85;
  b.epoch = 2, b.loss = 0.25, b.accuracy = 0.9, b.learning_rate = 0.0005;
  return {a, b};
}

// Three classes; six samples: truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0.
Dataset six_samples() {
  Dataset d;
  d.height = d.width = d.channels = 1;
  d.classes = 3;
  d.class_names = {"cat", "dog", "fox"};
  d.labels = {0, 0, 1, 1, 2, 2};
  d.pixels = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
  return d;
}
std::vector<float> six_predictions() {
  return {0.8f, 0.1f, 0.1f, 0.2f, 0.7f, 0.1f, 0.1f, 0.8f, 0.1f,
          0.3f, 0.6f, 0.1f, 0.1f, 0.1f, 0.8f, 0.5f, 0.2f, 0.3f};
}

bool is_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  return in && std::string(magic + 1, 3) == "PNG" && std::filesystem::file_size(path) > 1000;
}

}  // namespace

TEST_CASE("the history CSV has Keras's CSVLogger columns and leaves missing values empty") {
  const std::string csv = history_csv(two_epochs());
  CHECK(csv ==
        "epoch,accuracy,loss,learning_rate,val_accuracy,val_loss,seconds\n"
        "1,0.8,0.5,0.001,0.85,0.4,0.000\n"
        "2,0.9,0.25,0.0005,,,0.000\n");
  const auto json = history_json(two_epochs());
  REQUIRE(json.size() == 2);
  CHECK(json[0]["val_accuracy"] == 0.85);
  CHECK_FALSE(json[1].contains("val_loss"));
}

TEST_CASE("the confusion matrix counts true against predicted; precision and recall follow") {
  const Dataset d = six_samples();
  const ConfusionMatrix m = confusion_matrix(d, six_predictions());
  CHECK(m.at(0, 0) == 1);
  CHECK(m.at(0, 1) == 1);
  CHECK(m.at(1, 1) == 2);
  CHECK(m.at(2, 2) == 1);
  CHECK(m.at(2, 0) == 1);
  CHECK(m.precision(1) == Approx(2.0 / 3.0));
  CHECK(m.recall(1) == Approx(1.0));
  CHECK(m.precision(0) == Approx(0.5));
  CHECK(m.recall(2) == Approx(0.5));
  CHECK(m.accuracy() == Approx(4.0 / 6.0));
  CHECK(confusion_csv(m, d) == "true\\predicted,cat,dog,fox\ncat,1,1,0\ndog,0,2,0\nfox,1,0,1\n");
  CHECK_THAT(classification_report(m, d), Catch::Contains("dog    0.6667    1.0000         2"));
}

TEST_CASE("the figures are drawn as PNG files") {
  TempDir dir;
  const Dataset d = six_samples();
  plot_history(two_epochs(), "loss", dir.file("loss.png"));
  plot_history(two_epochs(), "accuracy", dir.file("accuracy.png"));
  plot_confusion(confusion_matrix(d, six_predictions()), d, dir.file("confusion.png"));
  plot_image_grid(d, predicted_classes(six_predictions(), 3), 2, 3, dir.file("grid.png"));
  plot_probabilities(d, 1, {0.2f, 0.7f, 0.1f}, dir.file("probabilities.png"));
  for (const char* f :
       {"loss.png", "accuracy.png", "confusion.png", "grid.png", "probabilities.png"}) {
    INFO(f);
    CHECK(is_png(dir.file(f)));
  }
  CHECK_THROWS_WITH(plot_history(two_epochs(), "loss", dir.file("no/such/dir/loss.png")),
                    Catch::Contains("loss.png"));
}
