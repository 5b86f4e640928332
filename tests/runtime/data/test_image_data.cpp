// CIFAR-10's binary files, JPEG and PNG images and folders of them: the pixels land where
// they belong, and damaged input is refused with the file and the fault named.
#include <png.h>
#include <catch2/catch.hpp>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>
#include <cstdio>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "runtime/data/cifar_binary.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/image_file.hpp"
#include "runtime/data/image_folder.hpp"
#include "runtime/data/resize.hpp"
#include "runtime/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cnn::runtime;
using cnn::tests::TempDir;
using cnn::tests::write_file;
namespace fs = std::filesystem;

namespace {

// A CIFAR-10 record: the label, then the red, green and blue planes; pixel value
// (channel * 100 + y + x + seed) % 256 so that every channel and position differs.
std::string cifar_record(int label, int seed) {
  std::string r(1, static_cast<char>(label));
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 32; ++y)
      for (int x = 0; x < 32; ++x) r += static_cast<char>((c * 100 + y + x + seed) % 256);
  return r;
}

// An RGB image whose pixel (x, y) is (10x, 10y, 200), written as PNG or JPEG.
std::vector<unsigned char> gradient(int w, int h) {
  std::vector<unsigned char> px;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      px.insert(px.end(),
                {static_cast<unsigned char>(10 * x), static_cast<unsigned char>(10 * y), 200});
  return px;
}

void write_png(const std::string& path, int w, int h) {
  const auto px = gradient(w, h);
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(w);
  png.height = static_cast<png_uint_32>(h);
  png.format = PNG_FORMAT_RGB;
  REQUIRE(png_image_write_to_file(&png, path.c_str(), 0, px.data(), 0, nullptr));
}

void write_jpeg(const std::string& path, int w, int h) {
  auto px = gradient(w, h);
  jpeg_compress_struct info{};
  jpeg_error_mgr err{};
  info.err = jpeg_std_error(&err);
  jpeg_create_compress(&info);
  FILE* f = std::fopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  jpeg_stdio_dest(&info, f);
  info.image_width = static_cast<JDIMENSION>(w);
  info.image_height = static_cast<JDIMENSION>(h);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 100, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = px.data() + static_cast<std::size_t>(info.next_scanline) * w * 3;
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(f);
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("CIFAR-10 binary records become NHWC pixels in [0, 1] with their labels") {
  TempDir dir;
  for (int b = 1; b <= 5; ++b)
    write_file(dir.file(fmt::format("data_batch_{}.bin", b)),
               cifar_record(b, b) + cifar_record(9, 50 + b));
  write_file(dir.file("test_batch.bin"), cifar_record(3, 7));
  const TrainTest tt = load_directory(dir.path.string(), 32, 32, 3);
  REQUIRE(tt.train.size() == 10);
  REQUIRE(tt.test.size() == 1);
  CHECK(tt.train.classes == 10);
  CHECK(tt.train.class_names.at(0) == "airplane");
  CHECK(tt.train.class_names.at(9) == "truck");
  CHECK(tt.train.labels[0] == 1);
  CHECK(tt.train.labels[1] == 9);
  CHECK(tt.train.labels[8] == 5);
  CHECK(tt.test.labels[0] == 3);
  // Sample 2 is batch 2's first record (seed 2): pixel (y 3, x 4), channel c at HWC index.
  const float* img = tt.train.image(2);
  for (int c = 0; c < 3; ++c)
    CHECK(img[(3 * 32 + 4) * 3 + c] == Approx(((c * 100 + 3 + 4 + 2) % 256) / 255.0f));
}

TEST_CASE("CIFAR-10 binary files of the wrong size or with a bad label are refused") {
  TempDir dir;
  write_file(dir.file("short.bin"), cifar_record(1, 0).substr(0, 3000));
  CHECK_THROWS_WITH(read_cifar_binary(dir.file("short.bin")),
                    Catch::Contains("short.bin") && Catch::Contains("whole number of 3073-byte"));
  write_file(dir.file("label.bin"), cifar_record(1, 0) + cifar_record(10, 0));
  CHECK_THROWS_WITH(read_cifar_binary(dir.file("label.bin")),
                    Catch::Contains("record 1 has label 10"));
  write_file(dir.file("data_batch_1.bin"), cifar_record(1, 0));
  CHECK_THROWS_WITH(load_directory(dir.path.string(), 32, 32, 3),
                    Catch::Contains("data_batch_2.bin: missing"));
}

TEST_CASE("PNG and JPEG images decode to the pixels they hold, in the channels asked for") {
  TempDir dir;
  write_png(dir.file("a.png"), 5, 4);
  write_jpeg(dir.file("b.jpg"), 16, 16);
  const Image png = read_image(dir.file("a.png"), 3);
  REQUIRE(png.height == 4);
  REQUIRE(png.width == 5);
  CHECK(png.pixels[(2 * 5 + 3) * 3 + 0] == 30);
  CHECK(png.pixels[(2 * 5 + 3) * 3 + 1] == 20);
  CHECK(png.pixels[(2 * 5 + 3) * 3 + 2] == 200);
  const Image grey = read_image(dir.file("a.png"), 1);
  CHECK(grey.channels == 1);
  CHECK(grey.pixels.size() == 20);
  const Image jpeg = read_image(dir.file("b.jpg"), 3);
  REQUIRE(jpeg.width == 16);
  // Quality 100 JPEG is close to, not exactly, the pixels.
  CHECK(std::abs(jpeg.pixels[(7 * 16 + 9) * 3 + 0] - 90) <= 3);
  CHECK(std::abs(jpeg.pixels[(7 * 16 + 9) * 3 + 1] - 70) <= 3);
  CHECK(std::abs(jpeg.pixels[(7 * 16 + 9) * 3 + 2] - 200) <= 3);
}

TEST_CASE("damaged or foreign image files are refused, naming the file") {
  TempDir dir;
  write_file(dir.file("text.jpg"), "hello, not an image");
  CHECK_THROWS_WITH(read_image(dir.file("text.jpg"), 3),
                    Catch::Contains("text.jpg") && Catch::Contains("neither a JPEG nor a PNG"));
  write_jpeg(dir.file("whole.jpg"), 16, 16);
  write_file(dir.file("cut.jpg"), read_all(dir.file("whole.jpg")).substr(0, 200));
  CHECK_THROWS_WITH(read_image(dir.file("cut.jpg"), 3), Catch::Contains("cut.jpg: bad JPEG"));
  write_png(dir.file("whole.png"), 8, 8);
  write_file(dir.file("cut.png"), read_all(dir.file("whole.png")).substr(0, 40));
  CHECK_THROWS_WITH(read_image(dir.file("cut.png"), 3), Catch::Contains("cut.png: bad PNG"));
  CHECK_THROWS_WITH(read_image(dir.file("whole.png"), 3, 4), Catch::Contains("larger than 4"));
  CHECK_THROWS_WITH(read_image(dir.file("missing.png"), 3), Catch::Contains("cannot open"));
}

TEST_CASE("an image folder's classes are its sorted subfolders, train and test alike") {
  TempDir dir;
  for (const char* split : {"train", "test"})
    for (const char* cls : {"dog", "cat", "bird"}) fs::create_directories(dir.path / split / cls);
  write_png(dir.file("train/cat/1.png"), 4, 4);
  write_jpeg(dir.file("train/cat/2.JPG"), 4, 4);
  write_png(dir.file("train/dog/1.png"), 4, 4);
  write_png(dir.file("train/bird/1.png"), 4, 4);
  write_file(dir.file("train/bird/notes.txt"), "not an image, skipped");
  write_png(dir.file("test/dog/9.png"), 4, 4);
  const TrainTest tt = load_directory(dir.path.string(), 4, 4, 3);
  REQUIRE(tt.train.size() == 4);
  REQUIRE(tt.test.size() == 1);
  CHECK(tt.train.class_names == std::vector<std::string>{"bird", "cat", "dog"});
  CHECK(tt.test.labels[0] == 2);
  int cats = 0;
  for (auto l : tt.train.labels) cats += l == 1;
  CHECK(cats == 2);
  CHECK(tt.train.image(0)[2] == Approx(200 / 255.0f).margin(3 / 255.0f));
}

TEST_CASE("an image folder with differing classes, or a huge image, is refused") {
  TempDir dir;
  fs::create_directories(dir.path / "train/a");
  fs::create_directories(dir.path / "test/b");
  write_png(dir.file("train/a/1.png"), 4, 4);
  write_png(dir.file("test/b/1.png"), 4, 4);
  CHECK_THROWS_WITH(load_directory(dir.path.string(), 4, 4, 3),
                    Catch::Contains("different class subfolders"));
  write_png(dir.file("train/a/2.png"), kMaxSide + 1, 1);  // refused from its header
  CHECK_THROWS_WITH(read_image_folder((dir.path / "train").string(), 4, 4, 3),
                    Catch::Contains("2.png: 8193x1 pixels is larger than 8192 on a side"));
}

TEST_CASE("bilinear resizing samples at pixel centres, as TensorFlow's resize does") {
  Image square{2, 2, 1, {0, 100, 200, 255}};
  const std::vector<float> up = resized_bilinear(square, 4, 4);
  const std::vector<float> want = {0,   25,       75,       100,    50,  72.1875, 116.5625, 138.75,
                                   150, 166.5625, 199.6875, 216.25, 200, 213.75,  241.25,   255};
  REQUIRE(up.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(up[i] == Approx(want[i]).margin(1e-4));
  Image row{1, 4, 1, {0, 10, 20, 30}};
  CHECK(resized_bilinear(row, 1, 2) == std::vector<float>{5, 25});
  Image rgb{1, 2, 3, {1, 2, 3, 4, 5, 6}};
  CHECK(resized_bilinear(rgb, 1, 2) == std::vector<float>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("an image folder's images of another size are resized to the model's") {
  TempDir dir;
  fs::create_directories(dir.path / "a");
  write_png(dir.file("a/1.png"), 4, 4);
  write_png(dir.file("a/2.png"), 3, 4);  // 3 wide: its red ramp 0, 10, 20 stretched
  write_png(dir.file("a/3.png"), 8, 2);  // halved across, doubled down
  const Dataset d = read_image_folder(dir.path.string(), 4, 4, 3);
  REQUIRE(d.size() == 3);
  int stretched = 0, whole = 0, shrunk = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const float* p = d.image(i);
    const float red1 = p[3] * 255, red3 = p[9] * 255;
    const float green_row1 = p[12 + 1] * 255, green_row3 = p[3 * 12 + 1] * 255;
    if (red3 == Approx(30)) ++whole;
    if (red1 == Approx(6.25) && red3 == Approx(20)) ++stretched;
    // 8 wide to 4: red at x = 0.5, 2.5, 4.5, 6.5; 2 high to 4: green at y = 0, 0.25, 0.75, 1.
    if (red1 == Approx(25) && red3 == Approx(65) && green_row1 == Approx(2.5) &&
        green_row3 == Approx(10))
      ++shrunk;
  }
  CHECK(whole == 1);
  CHECK(stretched == 1);
  CHECK(shrunk == 1);
}

TEST_CASE("padding centres the images in zeros") {
  Dataset d;
  d.height = d.width = 2;
  d.channels = 1;
  d.classes = 10;
  d.labels = {4};
  d.pixels = {1, 2, 3, 4};
  const Dataset p = pad_images(d, 4, 4);
  CHECK(p.pixels == std::vector<float>{0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0});
  CHECK(p.labels == d.labels);
  CHECK_THROWS_WITH(pad_images(d, 1, 4), Catch::Contains("cannot be padded to a smaller"));
}
