// TensorFlow.js layers models: each dtype and quantization decodes as TF.js decodes it,
// weights run across shards, and malformed manifests are refused with one line.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "runtime/error.hpp"
#include "runtime/model/tfjs.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cnn::runtime;
using Catch::Matchers::Contains;
using cnn::tests::TempDir;

namespace {
std::string floats(std::initializer_list<float> values) {
  std::string s;
  for (float v : values) s.append(reinterpret_cast<const char*>(&v), 4);
  return s;
}
// model.json with one group of `weights` (JSON) over the shards named.
void model_json(const TempDir& dir, const std::string& weights, const std::string& paths) {
  cnn::tests::write_file(dir.file("model.json"),
                         R"({"format": "layers-model", "weightsManifest": [{"paths": [)" + paths +
                             R"(], "weights": [)" + weights + "]}]}");
}
std::string error_of(const std::string& path) {
  try {
    read_tfjs_layers_model(path);
  } catch (const cnn::runtime::Error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("TF.js weights decode as TF.js decodes them, across shards") {
  TempDir dir;
  // d/kernel: float32 [2, 2]; d/bias: uint8 [2] (scale 0.5, min -1); e/k: float16 [2]; i: int32.
  const std::string all = floats({1.5f, -2.0f, 0.25f, 8.0f}) + std::string("\x00\x06", 2) +
                          std::string("\x00\x3c\x00\xc0", 4) + std::string("\x07\x00\x00\x00", 4);
  cnn::tests::write_file(dir.file("s1.bin"), all.substr(0, 5));  // a shard ends mid-weight
  cnn::tests::write_file(dir.file("s2.bin"), all.substr(5));
  model_json(dir,
             R"({"name": "d/kernel", "shape": [2, 2], "dtype": "float32"},
                {"name": "d/bias", "shape": [2], "dtype": "float32",
                 "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
                {"name": "e/k", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
                {"name": "i", "shape": [], "dtype": "int32"})",
             R"("s1.bin", "s2.bin")");
  const TensorFile f = read_tfjs_layers_model(dir.file("model.json"));
  CHECK(f.tensors.at("d/kernel").shape == std::vector<std::int64_t>{2, 2});
  CHECK(f.tensors.at("d/kernel").values == std::vector<float>{1.5f, -2.0f, 0.25f, 8.0f});
  CHECK(f.tensors.at("d/bias").values == std::vector<float>{-1.0f, 2.0f});  // 0, 6 -> -1, 2
  CHECK(f.tensors.at("e/k").values == std::vector<float>{1.0f, -2.0f});     // 0x3c00, 0xc000
  CHECK(f.tensors.at("i").values == std::vector<float>{7.0f});
  CHECK(f.metadata.at("origin") == "a TensorFlow.js layers model");
}

TEST_CASE("malformed TF.js models are refused, naming the weight and the fault") {
  TempDir dir;
  cnn::tests::write_file(dir.file("s.bin"), floats({1, 2, 3, 4}));
  auto refused = [&](const std::string& weights, const std::string& paths) {
    model_json(dir, weights, paths);
    return error_of(dir.file("model.json"));
  };
  CHECK_THAT(refused(R"({"name": "a", "shape": [4], "dtype": "float32"})", R"("../s.bin")"),
             Contains("shard path '../s.bin' leaves the model's directory"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [4], "dtype": "float32"})", R"("/etc/passwd")"),
             Contains("leaves the model's directory"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [4], "dtype": "float32"})", R"("t.bin")"),
             Contains("cannot read shard"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [5], "dtype": "float32"})", R"("s.bin")"),
             Contains("weight a: the shards end before it does"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [3], "dtype": "float32"})", R"("s.bin")"),
             Contains("the shards hold 4 bytes more than its weights"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [2], "dtype": "float32"},
                        {"name": "a", "shape": [2], "dtype": "float32"})",
                     R"("s.bin")"),
             Contains("two weights named a"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [4], "dtype": "complex64"})", R"("s.bin")"),
             Contains("dtype 'complex64'"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [16], "dtype": "float32",
                         "quantization": {"dtype": "uint8"}})",
                     R"("s.bin")"),
             Contains("without its scale and min"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [-1], "dtype": "float32"})", R"("s.bin")"),
             Contains("a malformed dimension"));
  CHECK_THAT(refused(R"({"name": "a", "shape": [65536, 65536], "dtype": "float32"})", R"("s.bin")"),
             Contains("more than 2147483648 values"));
  CHECK_THAT(refused(R"({"shape": [4], "dtype": "float32"})", R"("s.bin")"),
             Contains("a weight without its name or shape"));
  cnn::tests::write_file(dir.file("text.json"), "not json");
  CHECK_THAT(error_of(dir.file("text.json")), Contains("not JSON"));
  cnn::tests::write_file(dir.file("other.json"), R"({"modelTopology": {}})");
  CHECK_THAT(error_of(dir.file("other.json")), Contains("no weightsManifest"));
}
