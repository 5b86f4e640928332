// A training run's history, per epoch, as Keras's CSVLogger and History give it: a CSV
// file (epoch,accuracy,loss,learning_rate,val_accuracy,val_loss) and a JSON file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/train/epoch_log.hpp"

namespace cnn::runtime {

std::string history_csv(const std::vector<EpochLog>& history);
nlohmann::json history_json(const std::vector<EpochLog>& history);
// Its inverse (a resumed run's history); throws nlohmann::json::exception on malformed JSON.
std::vector<EpochLog> history_from_json(const nlohmann::json& rows);

// Writes `text` to `path` through a temporary file and a rename, so that a reader never
// sees half a file and an old file survives a failed write.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace cnn::runtime
