// Keras's ImageNet class index and decode_predictions' ordering.
#include <catch2/catch.hpp>

#include <filesystem>

#include "runtime/data/class_index.hpp"
#include "runtime/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cnn::runtime;

TEST_CASE("Keras's imagenet_class_index.json reads as 1,000 labels in class order") {
  const std::string path = CNN_SHARED_DATA_DIR "/imagenet_class_index.json";
  REQUIRE(std::filesystem::exists(path));
  const std::vector<ClassLabel> labels = read_class_index(path, 1000);
  REQUIRE(labels.size() == 1000);
  CHECK(labels[0].id == "n01440764");
  CHECK(labels[0].name == "tench");
  CHECK(labels[1].name == "goldfish");
  CHECK(labels[999].id == "n15075141");
  CHECK(labels[999].name == "toilet_tissue");
  CHECK_THROWS_WITH(read_class_index(path, 10),
                    Catch::Contains("1000 classes, but the model predicts 10"));
}

TEST_CASE("a malformed class index is refused, naming the file and the entry") {
  cnn::tests::TempDir dir;
  const std::string p = dir.file("index.json");
  cnn::tests::write_file(p, R"({"0": ["a", "cat"], "2": ["b", "dog"]})");
  CHECK_THROWS_WITH(read_class_index(p, 2), Catch::Contains("no entry \"1\": [id, name]"));
  cnn::tests::write_file(p, R"({"0": ["a", "cat"], "1": ["b", 7]})");
  CHECK_THROWS_WITH(read_class_index(p, 2), Catch::Contains("no entry \"1\""));
  cnn::tests::write_file(p, R"(["a", "cat"])");
  CHECK_THROWS_WITH(read_class_index(p, 2), Catch::Contains("not a class index"));
  cnn::tests::write_file(p, "{\"0\": [");
  CHECK_THROWS_WITH(read_class_index(p, 1), Catch::Contains("malformed JSON"));
  CHECK_THROWS_WITH(read_class_index(dir.file("none.json"), 1), Catch::Contains("cannot open"));
  cnn::tests::write_file(p, R"({"0": ["a", "cat"], "1": ["b", "dog"]})");
  CHECK(read_class_index(p, 2)[1].name == "dog");
}

TEST_CASE("top predictions come most probable first, ties to the lower class") {
  const std::vector<float> p = {0.1f,  0.6f,  0.3f, 0.0f,  // image 0
                                0.25f, 0.25f, 0.2f, 0.3f};
  const auto top = top_predictions(p, 4, 3);
  REQUIRE(top.size() == 2);
  REQUIRE(top[0].size() == 3);
  CHECK(top[0][0].class_index == 1);
  CHECK(top[0][1].class_index == 2);
  CHECK(top[0][2].class_index == 0);
  CHECK(top[0][0].probability == 0.6f);
  CHECK(top[1][0].class_index == 3);
  CHECK(top[1][1].class_index == 0);  // 0.25 twice: class 0 before class 1
  CHECK(top[1][2].class_index == 1);
  CHECK(top_predictions(p, 4, 10)[0].size() == 4);  // never more than the classes
  CHECK_THROWS_WITH(top_predictions(p, 4, 0), Catch::Contains("--top must be at least 1"));
}
