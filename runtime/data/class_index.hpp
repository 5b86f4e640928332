// Keras's ImageNet class index (imagenet_class_index.json: {"0": ["n01440764", "tench"], ...})
// and decode_predictions: each image's most probable classes with their ids and names.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace cnn::runtime {

struct ClassLabel {
  std::string id;    // WordNet id, e.g. n01440764
  std::string name;  // e.g. tench
};

// The file's labels in class order. Throws Error naming the file unless it holds exactly
// `classes` entries "0".."classes-1", each [id, name].
std::vector<ClassLabel> read_class_index(const std::string& path, int classes);

struct Prediction {
  int class_index;
  float probability;
};

// Each row's `top` most probable classes, most probable first (ties: the lower class first),
// as decode_predictions(preds, top) orders them. `probabilities` holds rows of `classes`.
std::vector<std::vector<Prediction>> top_predictions(std::span<const float> probabilities,
                                                     int classes, int top);

}  // namespace cnn::runtime
