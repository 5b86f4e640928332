#include "runtime/data/class_index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "runtime/error.hpp"

namespace cnn::runtime {

std::vector<ClassLabel> read_class_index(const std::string& path, int classes) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("{}: cannot open the class index", path));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(fmt::format("{}: not a class index (malformed JSON: {})", path, e.what()));
  }
  if (!j.is_object())
    throw Error(fmt::format("{}: not a class index (expected {{\"0\": [id, name], ...}})", path));
  if (j.size() != static_cast<std::size_t>(classes))
    throw Error(fmt::format("{}: {} classes, but the model predicts {}", path, j.size(), classes));
  std::vector<ClassLabel> labels(static_cast<std::size_t>(classes));
  for (int c = 0; c < classes; ++c) {
    const auto it = j.find(std::to_string(c));
    if (it == j.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_string() ||
        !(*it)[1].is_string())
      throw Error(fmt::format("{}: no entry \"{}\": [id, name]", path, c));
    labels[static_cast<std::size_t>(c)] = {(*it)[0].get<std::string>(),
                                           (*it)[1].get<std::string>()};
  }
  return labels;
}

std::vector<std::vector<Prediction>> top_predictions(std::span<const float> probabilities,
                                                     int classes, int top) {
  if (classes < 1 || top < 1) throw Error("--top must be at least 1");
  const auto n = static_cast<std::size_t>(classes);
  const std::size_t k = std::min(static_cast<std::size_t>(top), n);
  std::vector<std::vector<Prediction>> rows;
  std::vector<int> order(n);
  for (std::size_t at = 0; at + n <= probabilities.size(); at += n) {
    const float* row = probabilities.data() + at;
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](int a, int b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
    std::vector<Prediction>& r = rows.emplace_back();
    for (std::size_t i = 0; i < k; ++i) r.push_back({order[i], row[order[i]]});
  }
  return rows;
}

}  // namespace cnn::runtime
