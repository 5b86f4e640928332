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
