// Keras 3's `.keras` archives: a zip of config.json (the model, as Keras's
// serialize_keras_object writes it), metadata.json (Keras's version, the date) and
// model.weights.h5 (the weights in Keras 3's layout, keras_weights.hpp). Keras writes the
// members stored, not compressed; so do we.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/model/model_info.hpp"
#include "runtime/model/weights.hpp"

namespace cnn::runtime {

// A zip file's first bytes.
bool is_zip(const std::string& path);

// One member of a zip archive, read whole. Refused: a missing member, one over `max_size`
// bytes, and a bomb (a member that declares far more than it stores, as Keras refuses).
std::vector<char> read_zip_member(const std::string& path, const std::string& member,
                                  std::size_t max_size);

// The model as Keras 3's config.json describes a Functional model: every layer's class,
// Keras arguments and inbound nodes, the input and output layers.
nlohmann::json keras_model_config(const ModelInfo& model);

// Writes `path` (via `path`.tmp, renamed into place) for Keras's load_model.
void save_keras_archive(const std::string& path, const ModelInfo& model, const Weights& weights);

}  // namespace cnn::runtime
