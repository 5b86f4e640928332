// Loaders and checkpoints refuse malformed input with a message naming the file and fault.
#include <sys/resource.h>
#include <zlib.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "examples/mnist_cnn.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/idx.hpp"
#include "runtime/error.hpp"
#include "runtime/model/checkpoint.hpp"
#include "runtime/model/safetensors.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tiny_models.hpp"

using namespace cnn;
using namespace cnn::runtime;
namespace fs = std::filesystem;
using cnn::tests::TempDir;

namespace {
std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s += static_cast<char>(v);
  return s;
}
void write(const std::string& path, const std::string& content) {
  tests::write_file(path, content);
}
void write_gz(const std::string& path, const std::string& content) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, content.data(), static_cast<unsigned>(content.size()));
  gzclose(f);
}
// An idx file of `count` 2x3 images whose pixels count up, and its labels.
std::string images_idx(int count) {
  std::string s = bytes({0, 0, 8, 3, 0, 0, 0, count, 0, 0, 0, 2, 0, 0, 0, 3});
  for (int i = 0; i < count * 6; ++i) s += static_cast<char>(i);
  return s;
}
std::string labels_idx(std::initializer_list<int> labels) {
  std::string s = bytes({0, 0, 8, 1, 0, 0, 0, static_cast<int>(labels.size())});
  for (int l : labels) s += static_cast<char>(l);
  return s;
}
}  // namespace

TEST_CASE("idx files are read plain or gzipped") {
  TempDir dir;
  write(dir.file("plain"), images_idx(2));
  write_gz(dir.file("zipped.gz"), images_idx(2));
  for (const char* name : {"plain", "zipped.gz"}) {
    const IdxArray a = read_idx(dir.file(name));
    CHECK(a.dims == std::vector<std::uint32_t>{2, 2, 3});
    REQUIRE(a.data.size() == 12);
    CHECK(a.data[11] == 11);
  }
}

TEST_CASE("malformed idx files are refused with the file and the fault named") {
  TempDir dir;
  const std::string p = dir.file("bad");
  write(p, bytes({1, 2, 3, 4}));
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains(p) && Catch::Contains("not an idx file"));
  write(p, bytes({0, 0, 8}));
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains("shorter than its 4-byte magic"));
  write(p, images_idx(2).substr(0, 20));
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains("truncated"));
  write(p, images_idx(2) + "x");
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains("longer than its header declares"));
  write(p, bytes({0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff,
                  0xff}));
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains("declares more than"));
  write(p, bytes({0, 0, 8, 9}));
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains("9 dimensions"));
  // 1 GB declared, 20 bytes held: refused without allocating the gigabyte.
  write(p, bytes({0, 0, 8, 3, 0, 0, 0x40, 0, 0, 0, 0x40, 0, 0, 0, 0, 4}) + "tiny");
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  CHECK_THROWS_WITH(read_idx(p), Catch::Contains("truncated"));
  getrusage(RUSAGE_SELF, &after);
  CHECK(after.ru_maxrss - before.ru_maxrss < 64 * 1024);  // kilobytes
  CHECK_THROWS_WITH(read_idx(dir.file("missing")), Catch::Contains("no such file"));
}

TEST_CASE("a data directory's images and labels must agree") {
  TempDir dir;
  write(dir.file("train-images-idx3-ubyte"), images_idx(3));
  write(dir.file("train-labels-idx1-ubyte"), labels_idx({1, 2, 3}));
  const TrainTest tt = load_directory(dir.path.string(), 28, 28, 1);
  CHECK(tt.train.size() == 3);
  CHECK(tt.train.height == 2);
  CHECK(tt.train.width == 3);
  CHECK(tt.train.pixels[1] == Approx(1.0f / 255.0f));
  CHECK(tt.test.size() == 0);

  write(dir.file("train-labels-idx1-ubyte"), labels_idx({1, 2}));
  CHECK_THROWS_WITH(load_directory(dir.path.string(), 28, 28, 1),
                    Catch::Contains("has 2 labels but"));
  write(dir.file("train-labels-idx1-ubyte"), labels_idx({1, 12, 3}));
  CHECK_THROWS_WITH(load_directory(dir.path.string(), 28, 28, 1),
                    Catch::Contains("label 12 of sample 1"));
  CHECK_THROWS_WITH(load_directory(dir.file("nowhere"), 28, 28, 1),
                    Catch::Contains("no such directory"));
  fs::remove(dir.file("train-images-idx3-ubyte"));
  CHECK_THROWS_WITH(load_directory(dir.path.string(), 28, 28, 1),
                    Catch::Contains("no data set found"));
}

TEST_CASE("weights round-trip through safetensors with Keras's names and layouts") {
  TempDir dir;
  const ModelInfo m = ModelInfo::of(examples::mnist_cnn);
  Weights w = initial_weights(m, 9);
  const std::string p = dir.file("w.safetensors");
  save_checkpoint(p, m, w, {3, 0, 0}, nullptr);
  const SavedState back = load_checkpoint(p, m);
  CHECK(back.weights.params == w.params);
  CHECK(back.position.epoch == 3);
  CHECK_FALSE(back.whole_model);
  const TensorFile raw = read_safetensors(p);
  CHECK(raw.tensors.at("conv2d_1/kernel").shape == std::vector<std::int64_t>{3, 3, 32, 64});
  CHECK(raw.tensors.at("dense/kernel").shape == std::vector<std::int64_t>{9216, 128});
  CHECK(raw.metadata.at("model") == "mnist_cnn");
  CHECK(fs::file_size(p) % 4 == 0);
  CHECK(!fs::exists(p + ".tmp"));
}

TEST_CASE("a file of another version of ours is refused before it is read") {
  TempDir dir;
  const ModelInfo mnist = ModelInfo::of(examples::mnist_cnn);
  const std::string p = dir.file("w.safetensors");
  save_checkpoint(p, mnist, initial_weights(mnist, 1), {1, 0, 0}, nullptr);
  TensorFile file = read_safetensors(p);
  CHECK(file.metadata.at("format") == kCheckpointFormat);
  REQUIRE_NOTHROW(load_checkpoint(p, mnist));
  file.metadata["format"] = "cnn-compiler weights 2";
  write_safetensors(p, file);
  CHECK_THROWS_WITH(load_checkpoint(p, mnist),
                    Catch::Contains("format \"cnn-compiler weights 2\"") &&
                        Catch::Contains("this program reads \"cnn-compiler weights 1\""));
  Weights w = initial_weights(mnist, 2);
  CHECK_THROWS_WITH(load_layers_by_name(p, mnist, {}, w), Catch::Contains("format"));
}

TEST_CASE("another tool's file whose tensors match loads as weights, never as a training state") {
  TempDir dir;
  const ModelInfo mnist = ModelInfo::of(examples::mnist_cnn);
  const Weights w = initial_weights(mnist, 1);
  const std::string ours = dir.file("ours.safetensors"), theirs = dir.file("theirs.safetensors");
  const OptimizerState adam{"adam", 0.001f, 5, w.params, w.params};
  save_checkpoint(ours, mnist, w, {2, 9, 40}, &adam, nullptr);
  REQUIRE(load_checkpoint(ours, mnist).whole_model);
  // What PyTorch's or numpy's safetensors writer would leave: the tensors and no metadata.
  TensorFile file = read_safetensors(ours);
  file.metadata.clear();
  write_safetensors(theirs, file);
  const SavedState loaded = load_checkpoint(theirs, mnist);
  CHECK(loaded.weights.params == w.params);
  CHECK_FALSE(loaded.same_architecture);
  CHECK_FALSE(loaded.whole_model);
  CHECK(loaded.position.epoch == 0);
  CHECK(loaded.slot_a.empty());
  CHECK(loaded.origin == "written by another tool");
  Weights into = initial_weights(mnist, 2);
  CHECK(load_layers_by_name(theirs, mnist, {"dense"}, into).loaded ==
        std::vector<std::string>{"dense"});
  // Ours, of another architecture with the same tensors (a fingerprint that differs):
  // the weights load, the training state does not.
  file = read_safetensors(ours);
  file.metadata["fingerprint"] = "0123456789abcdef";
  write_safetensors(theirs, file);
  const SavedState other = load_checkpoint(theirs, mnist);
  CHECK(other.weights.params == w.params);
  CHECK_FALSE(other.same_architecture);
  CHECK_FALSE(other.whole_model);
  CHECK(other.origin == "weights of model 'mnist_cnn', architecture 0123456789abcdef");
}

TEST_CASE("skip_mismatch loads the layers that match and names the others, whole layers only") {
  TempDir dir;
  const ModelInfo m = ModelInfo::of(tests::tiny_conv);
  const std::string p = dir.file("w.safetensors");
  const Weights saved = initial_weights(m, 1);
  save_checkpoint(p, m, saved, {1, 0, 0}, nullptr);
  TensorFile file = read_safetensors(p);
  file.tensors.erase("dense_1/bias");  // dense_1's kernel alone must not load
  file.tensors["conv2d/kernel"] = {{3, 3, 2, 4}, std::vector<float>(72, 0.5f)};
  write_safetensors(p, file);

  Weights w = initial_weights(m, 2);
  const Weights before = w;
  CHECK_THROWS_WITH(load_layers_by_name(p, m, {}, w),
                    Catch::Contains("tensor conv2d/kernel has shape [3, 3, 2, 4]") &&
                        Catch::Contains("needs [3, 3, 2, 3]"));
  const LoadedLayers l = load_layers_by_name(p, m, {}, w, true);
  CHECK(l.loaded == std::vector<std::string>{"conv2d_1", "dense"});
  REQUIRE(l.skipped.size() == 2);
  CHECK_THAT(l.skipped[0], Catch::Contains("conv2d/kernel has shape [3, 3, 2, 4]"));
  CHECK_THAT(l.skipped[1], Catch::Contains("no tensor dense_1/bias"));
  for (const TensorSlot& s : m.table.slots) {
    const std::string layer(m.nodes[static_cast<std::size_t>(s.node)].name.view());
    const bool loaded = layer == "conv2d_1" || layer == "dense";
    INFO(s.name(m.nodes));
    const auto got = tensor_of(w, s);
    const auto want = tensor_of(loaded ? saved : before, s);
    CHECK(std::equal(got.begin(), got.end(), want.begin(), want.end()));
  }
  // A named layer that the file lacks is skipped too, not an error.
  file.tensors.erase("dense/kernel");
  file.tensors.erase("dense/bias");
  write_safetensors(p, file);
  CHECK_THROWS_WITH(load_layers_by_name(p, m, {"dense"}, w),
                    Catch::Contains("no weights of layer"));
  CHECK(load_layers_by_name(p, m, {"dense", "conv2d_1"}, w, true).loaded ==
        std::vector<std::string>{"conv2d_1"});
}

TEST_CASE("float64, float16 and bfloat16 tensors are read as float32") {
  TempDir dir;
  const std::string p = dir.file("mixed.safetensors");
  // Little-endian values: 1.5 and -0.25 in each dtype; float16's smallest subnormal 2^-24.
  std::string data;
  auto put = [&](std::uint64_t bits, int size) {
    for (int i = 0; i < size; ++i) data += static_cast<char>((bits >> (8 * i)) & 0xff);
  };
  put(0x3ff8000000000000, 8), put(0xbfd0000000000000, 8);          // F64 [0, 16)
  put(0x3e00, 2), put(0xb400, 2), put(0x0001, 2), put(0x7c00, 2);  // F16 [16, 24)
  put(0x3fc0, 2), put(0xbe80, 2);                                  // BF16 [24, 28)
  const std::string header = R"({"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},)"
                             R"("b":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},)"
                             R"("c":{"dtype":"BF16","shape":[2],"data_offsets":[24,28]}})";
  std::string length;
  for (int i = 0; i < 8; ++i) length += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  write(p, length + header + data);
  const TensorFile f = read_safetensors(p);
  CHECK(f.tensors.at("a").values == std::vector<float>{1.5f, -0.25f});
  CHECK(f.tensors.at("b").values ==
        std::vector<float>{1.5f, -0.25f, std::ldexp(1.0f, -24), HUGE_VALF});
  CHECK(f.tensors.at("b").shape == std::vector<std::int64_t>{2, 2});
  CHECK(f.tensors.at("c").values == std::vector<float>{1.5f, -0.25f});
  // A byte range that fits float32's size but not the dtype's is refused.
  std::string wrong = header;
  wrong.replace(wrong.find("\"F64\""), 5, "\"F32\"");
  write(p, length + wrong + data);
  CHECK_THROWS_WITH(read_safetensors(p), Catch::Contains("does not fit"));
  wrong = header;
  wrong.replace(wrong.find("\"F64\""), 5, "\"I64\"");
  write(p, length + wrong + data);
  CHECK_THROWS_WITH(read_safetensors(p), Catch::Contains("tensor a has dtype \"I64\""));
}

TEST_CASE("weights of another model, or damaged files, are refused") {
  TempDir dir;
  const ModelInfo mnist = ModelInfo::of(examples::mnist_cnn);
  const ModelInfo other = ModelInfo::of(tests::tiny_conv);
  const std::string p = dir.file("other.safetensors");
  save_checkpoint(p, other, initial_weights(other, 1), {1, 0, 0}, nullptr);
  // One line naming the file's model, the tensor, the layer and both shapes.
  CHECK_THROWS_WITH(load_checkpoint(p, mnist),
                    Catch::Contains("weights of model 'tiny_conv'") &&
                        Catch::Contains("tensor conv2d/kernel has shape [3, 3, 2, 3]") &&
                        Catch::Contains("layer conv2d of mnist_cnn needs [3, 3, 1, 32]"));

  const std::string q = dir.file("w.safetensors");
  save_checkpoint(q, mnist, initial_weights(mnist, 1), {1, 0, 0}, nullptr);
  std::string content;
  {
    std::ifstream in(q, std::ios::binary);
    content.assign(std::istreambuf_iterator<char>(in), {});
  }
  write(q, content.substr(0, content.size() - 100));
  CHECK_THROWS_WITH(load_checkpoint(q, mnist), Catch::Contains("damaged"));
  std::string flipped = content;
  flipped[flipped.size() / 2] ^= 0x10;
  write(q, flipped);
  CHECK_THROWS_WITH(load_checkpoint(q, mnist), Catch::Contains("does not match its checksum"));
  // Without a checksum (another tool's file), a byte range past the end is caught instead.
  std::string unsummed = content;
  const auto at = unsummed.find("\"crc32\":\"");
  REQUIRE(at != std::string::npos);
  unsummed.replace(at, 6, "\"xrc32");
  write(q, unsummed.substr(0, unsummed.size() - 100));
  CHECK_THROWS_WITH(load_checkpoint(q, mnist), Catch::Contains("does not fit"));
  write(q, bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2}));
  CHECK_THROWS_WITH(read_safetensors(q), Catch::Contains("not a safetensors file"));
  write(q, bytes({4, 0, 0, 0, 0, 0, 0, 0}) + "{{{{");
  CHECK_THROWS_WITH(read_safetensors(q), Catch::Contains("malformed header"));
  CHECK_THROWS_WITH(read_safetensors(dir.file("none")), Catch::Contains("cannot read"));
}
