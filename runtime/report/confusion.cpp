#include "runtime/report/confusion.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cnn::runtime {

long long ConfusionMatrix::support(int c) const {
  long long n = 0;
  for (int p = 0; p < classes; ++p) n += at(c, p);
  return n;
}

long long ConfusionMatrix::predicted(int c) const {
  long long n = 0;
  for (int t = 0; t < classes; ++t) n += at(t, c);
  return n;
}

double ConfusionMatrix::precision(int c) const {
  const long long p = predicted(c);
  return p > 0 ? static_cast<double>(at(c, c)) / static_cast<double>(p) : 0.0;
}

double ConfusionMatrix::recall(int c) const {
  const long long s = support(c);
  return s > 0 ? static_cast<double>(at(c, c)) / static_cast<double>(s) : 0.0;
}

double ConfusionMatrix::accuracy() const {
  long long right = 0, all = 0;
  for (int c = 0; c < classes; ++c) {
    right += at(c, c);
    all += support(c);
  }
  return all > 0 ? static_cast<double>(right) / static_cast<double>(all) : 0.0;
}

std::vector<int> predicted_classes(const std::vector<float>& probabilities, int classes) {
  std::vector<int> out(probabilities.size() / static_cast<std::size_t>(classes));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const float* row = probabilities.data() + i * static_cast<std::size_t>(classes);
    out[i] = static_cast<int>(std::max_element(row, row + classes) - row);
  }
  return out;
}

ConfusionMatrix confusion_matrix(const Dataset& data, const std::vector<float>& probabilities) {
  ConfusionMatrix m;
  m.classes = data.classes;
  m.counts.assign(static_cast<std::size_t>(m.classes * m.classes), 0);
  const std::vector<int> predicted = predicted_classes(probabilities, data.classes);
  for (std::size_t i = 0; i < predicted.size() && i < data.size(); ++i)
    ++m.counts[static_cast<std::size_t>(data.labels[i] * m.classes + predicted[i])];
  return m;
}

std::string confusion_text(const ConfusionMatrix& m, const Dataset& data) {
  std::size_t name_width = 4;
  for (int c = 0; c < m.classes; ++c) name_width = std::max(name_width, class_name(data, c).size());
  std::string out = fmt::format("{:>{}}  predicted\n{:>{}}", "true", name_width, "", name_width);
  for (int p = 0; p < m.classes; ++p)
    out += fmt::format(" {:>6}", class_name(data, p).substr(0, 6));
  out += '\n';
  for (int t = 0; t < m.classes; ++t) {
    out += fmt::format("{:>{}}", class_name(data, t), name_width);
    for (int p = 0; p < m.classes; ++p) out += fmt::format(" {:>6}", m.at(t, p));
    out += '\n';
  }
  return out;
}

std::string confusion_csv(const ConfusionMatrix& m, const Dataset& data) {
  std::string out = "true\\predicted";
  for (int p = 0; p < m.classes; ++p) out += "," + class_name(data, p);
  out += '\n';
  for (int t = 0; t < m.classes; ++t) {
    out += class_name(data, t);
    for (int p = 0; p < m.classes; ++p) out += fmt::format(",{}", m.at(t, p));
    out += '\n';
  }
  return out;
}

std::string classification_report(const ConfusionMatrix& m, const Dataset& data) {
  std::size_t name_width = 8;
  for (int c = 0; c < m.classes; ++c) name_width = std::max(name_width, class_name(data, c).size());
  std::string out = fmt::format("{:>{}} {:>9} {:>9} {:>9}\n", "class", name_width, "precision",
                                "recall", "support");
  for (int c = 0; c < m.classes; ++c)
    out += fmt::format("{:>{}} {:>9.4f} {:>9.4f} {:>9}\n", class_name(data, c), name_width,
                       m.precision(c), m.recall(c), m.support(c));
  long long all = 0;
  for (int c = 0; c < m.classes; ++c) all += m.support(c);
  out +=
      fmt::format("{:>{}} {:>9} {:>9.4f} {:>9}\n", "accuracy", name_width, "", m.accuracy(), all);
  return out;
}

}  // namespace cnn::runtime
