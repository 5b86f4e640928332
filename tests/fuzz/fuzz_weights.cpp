// Weights files, read as a small model's: safetensors weights and whole-model files, and
// Keras's HDF5 files of both layouts (Debian's HDF5 itself is not instrumented; our reading
// of what it returns is). Any bytes give its weights, every tensor where the model wants
// it, or an Error.
#include "runtime/error.hpp"
#include "runtime/model/checkpoint.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"
#include "tests/support/tiny_models.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto model = cnn::runtime::ModelInfo::of(cnn::tests::tiny_conv);
  const std::string& path = cnn::fuzz::input_file(data, size);
  try {
    const auto saved = cnn::runtime::load_checkpoint(path, model);
    if (saved.weights.params.size() != static_cast<std::size_t>(model.table.params_size))
      __builtin_trap();
  } catch (const cnn::runtime::Error&) {
  }
  try {
    cnn::runtime::Weights w = cnn::runtime::initial_weights(model, 1);
    cnn::runtime::load_layers_by_name(path, model, {}, w);
  } catch (const cnn::runtime::Error&) {
  }
  try {
    cnn::runtime::Weights w = cnn::runtime::initial_weights(model, 1);
    cnn::runtime::load_layers_by_name(path, model, {}, w, true);
  } catch (const cnn::runtime::Error&) {
  }
  return 0;
}
