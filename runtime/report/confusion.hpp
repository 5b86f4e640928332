// The confusion matrix of a classifier on a labelled set, and what is read off it: per-class
// precision, recall and support, as scikit-learn's classification_report prints them.
#pragma once

#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"

namespace cnn::runtime {

struct ConfusionMatrix {
  int classes = 0;
  std::vector<long long> counts;  // classes x classes, row: true class, column: predicted

  long long at(int truth, int predicted) const {
    return counts[static_cast<std::size_t>(truth * classes + predicted)];
  }
  long long support(int c) const;    // samples of class c
  long long predicted(int c) const;  // samples predicted as c
  double precision(int c) const;     // 0 when nothing was predicted as c
  double recall(int c) const;        // 0 when there are no samples of c
  double accuracy() const;
};

// `probabilities`: a row of `classes` per sample of `data`, in order.
ConfusionMatrix confusion_matrix(const Dataset& data, const std::vector<float>& probabilities);

// The predicted class of each row.
std::vector<int> predicted_classes(const std::vector<float>& probabilities, int classes);

// The matrix as aligned text with class names, and as CSV (a header row of predicted
// classes, then one row per true class).
std::string confusion_text(const ConfusionMatrix& m, const Dataset& data);
std::string confusion_csv(const ConfusionMatrix& m, const Dataset& data);
// precision, recall and support per class, then accuracy.
std::string classification_report(const ConfusionMatrix& m, const Dataset& data);

}  // namespace cnn::runtime
