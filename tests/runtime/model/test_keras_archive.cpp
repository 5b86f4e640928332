// .keras archives: config.json describes the graph as Keras 3's Functional config does
// (merges take one list argument, every inbound tensor names an earlier layer), what we
// write loads back, and zip members are read whole or refused.
#include <zip.h>

#include <catch2/catch.hpp>

#include <string>

#include "runtime/error.hpp"
#include "runtime/model/checkpoint.hpp"
#include "runtime/model/keras_archive.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tiny_models.hpp"

using namespace cnn;
using namespace cnn::runtime;
using Catch::Matchers::Contains;
using cnn::tests::TempDir;
using nlohmann::json;

namespace {
const json* layer_named(const json& config, const std::string& name) {
  for (const json& l : config["config"]["layers"])
    if (l["name"] == name) return &l;
  return nullptr;
}
std::string history(const json& tensor) { return tensor["config"]["keras_history"][0]; }
}  // namespace

TEST_CASE("config.json is Keras 3's Functional config of the model's graph") {
  const ModelInfo model = ModelInfo::of(tests::tiny_branches);
  const json c = keras_model_config(model);
  CHECK(c["class_name"] == "Functional");
  CHECK(c["config"]["name"] == "tiny_branches");
  REQUIRE(c["config"]["layers"].size() == model.nodes.size());
  CHECK(c["config"]["input_layers"] == json::array({"input_1", 0, 0}));

  const json* input = layer_named(c, "input_1");
  REQUIRE(input != nullptr);
  CHECK((*input)["class_name"] == "InputLayer");
  CHECK((*input)["config"]["batch_shape"] == json::array({nullptr, 6, 6, 2}));
  CHECK((*input)["inbound_nodes"].empty());

  const json* conv = layer_named(c, "conv2d_2");
  REQUIRE(conv != nullptr);
  CHECK((*conv)["config"]["filters"] == 2);
  CHECK((*conv)["config"]["kernel_size"] == json::array({1, 1}));
  CHECK((*conv)["config"]["activation"] == "tanh");
  const json& arg = (*conv)["inbound_nodes"][0]["args"][0];
  CHECK(history(arg) == "conv2d");
  CHECK(arg["config"]["shape"] == json::array({nullptr, 6, 6, 4}));

  // A merge's one argument is the list of its inputs.
  const json* add = layer_named(c, "add");
  REQUIRE(add != nullptr);
  const json& args = (*add)["inbound_nodes"][0]["args"];
  REQUIRE(args.size() == 1);
  REQUIRE(args[0].size() == 2);
  CHECK(history(args[0][0]) == "conv2d");
  CHECK(history(args[0][1]) == "conv2d_1");
  CHECK((*layer_named(c, "concatenate"))["config"]["axis"] == -1);
  CHECK((*layer_named(c, "average_pooling2d"))["config"]["strides"] == json::array({2, 2}));
  CHECK(c["config"]["output_layers"] == json::array({"dense", 0, 0}));
}

TEST_CASE("a .keras archive we write loads back, and is refused as a training state") {
  const ModelInfo model = ModelInfo::of(tests::tiny_branches);
  Weights w = initial_weights(model, 3);
  for (std::size_t i = 0; i < w.params.size(); ++i) w.params[i] = static_cast<float>(i);
  TempDir dir;
  save_checkpoint(dir.file("m.keras"), model, w, {}, nullptr);
  CHECK(is_zip(dir.file("m.keras")));
  const SavedState loaded = load_checkpoint(dir.file("m.keras"), model);
  CHECK(std::equal(loaded.weights.params.begin(), loaded.weights.params.end(), w.params.begin(),
                   w.params.end()));
  CHECK_FALSE(loaded.same_architecture);
  CHECK_FALSE(keeps_training_state(dir.file("m.keras")));
  const json config = json::parse(std::string([&] {
    auto bytes = read_zip_member(dir.file("m.keras"), "config.json", 1 << 20);
    return std::string(bytes.begin(), bytes.end());
  }()));
  CHECK(config == keras_model_config(model));
}

TEST_CASE("zip members are read whole, or refused with the member named") {
  TempDir dir;
  const std::string path = dir.file("a.zip");
  {
    int code = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    REQUIRE(z != nullptr);
    static const std::string text = "hello, archive";
    zip_file_add(z, "a.txt", zip_source_buffer(z, text.data(), text.size(), 0), 0);
    REQUIRE(zip_close(z) == 0);
  }
  const auto bytes = read_zip_member(path, "a.txt", 100);
  CHECK(std::string(bytes.begin(), bytes.end()) == "hello, archive");
  CHECK_THROWS_WITH(read_zip_member(path, "b.txt", 100), Contains("the archive has no b.txt"));
  CHECK_THROWS_WITH(read_zip_member(path, "a.txt", 5), Contains("a.txt declares 14 bytes"));
  tests::write_file(dir.file("text.zip"), "PK\x03\x04 and then nothing a zip needs");
  CHECK_THROWS_WITH(read_zip_member(dir.file("text.zip"), "a.txt", 100),
                    Contains("not a readable zip archive"));
}
