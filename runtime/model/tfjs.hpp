// TensorFlow.js layers models (tfjs.converters.save_keras_model's output, what
// `tf.loadLayersModel` reads): model.json, with the Keras model's topology and a weights
// manifest, and binary shards beside it. Each manifest group's shards, concatenated, hold its
// weights in order, each prod(shape) values of its dtype (float32, int32) or of its
// quantization (uint8 or uint16: value = q * scale + min; float16).
//
// Weight names are Keras's (`conv2d_1/kernel`), so the file reads as tensors named as ours,
// matched by name as TF.js itself matches them.
#pragma once

#include <string>

#include "runtime/model/safetensors.hpp"

namespace cnn::runtime {

// The weights of the model.json at `path`, as float32. Refused with one line: shard paths
// outside model.json's directory, shards whose sizes disagree with the manifest, unknown
// dtypes, duplicate names, shapes of more than 2^31 values.
TensorFile read_tfjs_layers_model(const std::string& path);

// Whether `path` looks like a TF.js model.json (it ends in .json).
bool is_tfjs_model_path(const std::string& path);

}  // namespace cnn::runtime
