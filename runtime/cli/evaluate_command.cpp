// `evaluate` and `predict`: saved weights on the test set. evaluate prints the loss, the
// accuracy, the confusion matrix and per-class precision and recall, and with
// --report-dir writes them as CSV and PNG beside a grid of predictions and one image's
// class probabilities.
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "runtime/cli/commands.hpp"
#include "runtime/data/class_index.hpp"
#include "runtime/error.hpp"
#include "runtime/model/checkpoint.hpp"
#include "runtime/report/confusion.hpp"
#include "runtime/report/history.hpp"
#include "runtime/report/plots.hpp"
#include "runtime/train/trainer.hpp"

namespace cnn::runtime {

namespace fs = std::filesystem;

namespace {

// Saved weights and the test set, as evaluate and predict use them.
struct TrainedModel {
  Dataset test;
  Trainer trainer;
};

// The test set is --data's, or --images' files for predict.
TrainedModel load_trained(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  if (f.batch_size < 1) throw Error("--batch-size must be at least 1");
  set_threads(f.threads);
  SavedState saved = load_checkpoint(f.weights, model);
  Dataset test;
  if (!f.images.empty()) {
    test = images_for_model(f.images, model, f);
  } else {
    if (f.data.empty()) throw Error("predict needs --data DIR or --images FILE...");
    TrainTest data = load_for_model(f.data, model, f);
    if (data.test.size() == 0)
      throw Error(fmt::format("{}: no test set (t10k-* idx files, test_batch.bin or test/<class>/)",
                              f.data));
    test = std::move(data.test);
  }
  return {std::move(test), Trainer(model, kernels, std::move(saved.weights),
                                   Optimizer(OptimizerConfig::keras_default("sgd"), model))};
}

void write_report(const Dataset& test, const std::vector<float>& probabilities,
                  const ConfusionMatrix& m, const Flags& f) {
  const fs::path dir(f.report_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("{}: cannot create: {}", f.report_dir, ec.message()));
  write_text_file((dir / "confusion_matrix.csv").string(), confusion_csv(m, test));
  write_text_file((dir / "classification_report.txt").string(), classification_report(m, test));
  plot_confusion(m, test, (dir / "confusion_matrix.png").string());
  plot_image_grid(test, predicted_classes(probabilities, test.classes), 7, 7,
                  (dir / "predictions.png").string());
  const auto row = probabilities.begin() + static_cast<std::ptrdiff_t>(f.image) * test.classes;
  plot_probabilities(test, static_cast<std::size_t>(f.image), {row, row + test.classes},
                     (dir / "probabilities.png").string());
  fmt::print(
      "Wrote {0}/confusion_matrix.csv, {0}/confusion_matrix.png, "
      "{0}/classification_report.txt, {0}/predictions.png (7x7 test images) and "
      "{0}/probabilities.png (test image {1})\n",
      f.report_dir, f.image);
}

}  // namespace

int run_evaluate(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  const TrainedModel loaded = load_trained(model, kernels, f);
  const Dataset& test = loaded.test;
  if (f.image < 0 || static_cast<std::size_t>(f.image) >= test.size())
    throw Error(fmt::format("--image {}: the test set has images 0..{}", f.image, test.size() - 1));
  const std::vector<float> probabilities =
      loaded.trainer.predict(test, 0, test.size(), f.batch_size);
  const Evaluation e = evaluation_of(test, probabilities);
  const ConfusionMatrix m = confusion_matrix(test, probabilities);
  fmt::print("Test loss: {:.4f} - test accuracy: {:.4f} ({} samples)\n\nConfusion matrix:\n{}\n{}",
             e.loss, e.accuracy, test.size(), confusion_text(m, test),
             classification_report(m, test));
  if (!f.report_dir.empty()) write_report(test, probabilities, m, f);
  if (!f.metrics_json.empty()) {
    nlohmann::json j = {
        {"model", model.name}, {"test_loss", e.loss}, {"test_accuracy", e.accuracy}};
    for (int c = 0; c < m.classes; ++c)
      j["classes"].push_back({{"class", class_name(test, c)},
                              {"precision", m.precision(c)},
                              {"recall", m.recall(c)},
                              {"support", m.support(c)}});
    write_text_file(f.metrics_json, j.dump(2) + "\n");
  }
  return 0;
}

int run_predict(const ModelInfo& model, const ModelKernels& kernels, const Flags& f) {
  if (f.count < 1) throw Error("--count must be at least 1");
  const TrainedModel loaded = load_trained(model, kernels, f);
  const Dataset& test = loaded.test;
  // --images: every file named; --data: the first --count test images.
  const std::size_t count =
      f.images.empty() ? std::min<std::size_t>(static_cast<std::size_t>(f.count), test.size())
                       : test.size();
  const std::vector<float> p = loaded.trainer.predict(test, 0, count, f.batch_size);
  const int classes = model.classes();
  if (!f.probabilities_csv.empty()) {
    // One row per image (its file, or its index in the test set), every class's probability
    // to float32's precision.
    std::string csv = "image";
    for (int c = 0; c < classes; ++c) csv += "," + class_name(test, c);
    csv += '\n';
    for (std::size_t i = 0; i < count; ++i) {
      csv += f.images.empty() ? std::to_string(i) : f.images[i];
      for (int c = 0; c < classes; ++c)
        csv += fmt::format(",{:.9g}",
                           p[i * static_cast<std::size_t>(classes) + static_cast<std::size_t>(c)]);
      csv += '\n';
    }
    write_text_file(f.probabilities_csv, csv);
  }
  if (f.top == 1 && f.class_index.empty() && f.images.empty()) {
    fmt::print("{:>6} {:>12} {:>12} {:>11}\n", "index", "label", "predicted", "probability");
    for (std::size_t i = 0; i < count; ++i) {
      const float* row = p.data() + i * static_cast<std::size_t>(classes);
      const auto best = static_cast<int>(std::max_element(row, row + classes) - row);
      fmt::print("{:>6} {:>12} {:>12} {:>11.4f}\n", i, class_name(test, test.labels[i]),
                 class_name(test, best), row[best]);
    }
    return 0;
  }
  // As Keras's decode_predictions(preds, top): (class id, name, probability), best first.
  const std::vector<ClassLabel> labels =
      f.class_index.empty() ? std::vector<ClassLabel>{} : read_class_index(f.class_index, classes);
  auto label = [&](int c) {
    return labels.empty() ? ClassLabel{std::to_string(c), class_name(test, c)}
                          : labels[static_cast<std::size_t>(c)];
  };
  const auto top = top_predictions(p, classes, f.top);
  for (std::size_t i = 0; i < count; ++i) {
    if (f.images.empty())
      fmt::print("image {} (label {}):\n", i, label(test.labels[i]).name);
    else
      fmt::print("{}:\n", f.images[i]);
    for (std::size_t k = 0; k < top[i].size(); ++k) {
      const ClassLabel l = label(top[i][k].class_index);
      fmt::print("  {}. {} {} {:.4f}\n", k + 1, l.id, l.name, top[i][k].probability);
    }
  }
  return 0;
}

}  // namespace cnn::runtime
