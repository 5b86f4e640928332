#include "runtime/report/history.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "runtime/error.hpp"

namespace cnn::runtime {

std::string history_csv(const std::vector<EpochLog>& history) {
  std::string out = "epoch,accuracy,loss,learning_rate,val_accuracy,val_loss,seconds\n";
  auto optional = [](const std::optional<double>& v) { return v ? fmt::format("{:.9g}", *v) : ""; };
  for (const EpochLog& e : history)
    out += fmt::format("{},{:.9g},{:.9g},{:.7g},{},{},{:.3f}\n", e.epoch, e.accuracy, e.loss,
                       e.learning_rate, optional(e.val_accuracy), optional(e.val_loss), e.seconds);
  return out;
}

nlohmann::json history_json(const std::vector<EpochLog>& history) {
  nlohmann::json rows = nlohmann::json::array();
  for (const EpochLog& e : history) {
    nlohmann::json row = {{"epoch", e.epoch},       {"loss", e.loss},
                          {"accuracy", e.accuracy}, {"learning_rate", e.learning_rate},
                          {"seconds", e.seconds},   {"images_per_second", e.images_per_second}};
    if (e.val_loss) row["val_loss"] = *e.val_loss;
    if (e.val_accuracy) row["val_accuracy"] = *e.val_accuracy;
    rows.push_back(row);
  }
  return rows;
}

std::vector<EpochLog> history_from_json(const nlohmann::json& rows) {
  std::vector<EpochLog> history;
  for (const nlohmann::json& row : rows) {
    EpochLog& e = history.emplace_back();
    e.epoch = row.at("epoch").get<int>();
    e.loss = row.at("loss").get<double>();
    e.accuracy = row.at("accuracy").get<double>();
    e.learning_rate = row.at("learning_rate").get<double>();
    e.seconds = row.at("seconds").get<double>();
    e.images_per_second = row.at("images_per_second").get<double>();
    if (row.contains("val_loss")) e.val_loss = row.at("val_loss").get<double>();
    if (row.contains("val_accuracy")) e.val_accuracy = row.at("val_accuracy").get<double>();
  }
  return history;
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(fmt::format("{}: cannot write", path));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: cannot write", path));
  }
}

}  // namespace cnn::runtime
