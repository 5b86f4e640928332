// summary --plot: the model graph drawn by Graphviz's library to PNG, SVG and PDF, as
// Keras's plot_model draws it, legible at InceptionV3's 300 layers.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "dsl/model_dot.hpp"
#include "examples/inception_v3_finetune.hpp"
#include "examples/mnist_cnn.hpp"
#include "examples/small_inception.hpp"
#include "runtime/data/image_file.hpp"
#include "runtime/error.hpp"
#include "runtime/report/model_plot.hpp"
#include "tests/support/temp_dir.hpp"

using namespace cnn::runtime;
using cnn::PlotOptions;
using cnn::tests::TempDir;
using cnn::tests::write_file;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A PNG's width and height, from its IHDR chunk (without decoding the pixels).
std::pair<int, int> png_size(const std::string& path) {
  const std::string bytes = read_all(path);
  REQUIRE(bytes.size() > 24);
  REQUIRE(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  REQUIRE(bytes.compare(12, 4, "IHDR") == 0);
  auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return static_cast<int>(v);
  };
  return {be32(16), be32(20)};
}

PlotOptions with_shapes() {
  PlotOptions options;
  options.show_shapes = true;
  return options;
}

}  // namespace

TEST_CASE("A tutorial model's plot is a PNG of plausible size, drawn at full size") {
  TempDir dir;
  const std::string path = dir.file("model.png");
  const DrawnPlot drawn = draw_dot(cnn::to_dot(cnn::examples::mnist_cnn, with_shapes()), path);
  CHECK(drawn.format == "png");
  CHECK(drawn.scale == 1);
  const Image image = read_image(path, 3);  // decodes every pixel: a valid PNG
  CHECK(image.width == Approx(drawn.width).margin(2));
  CHECK(image.height == Approx(drawn.height).margin(2));
  // Nine boxes top to bottom, each about 40 pixels tall and a few hundred wide at 96 dpi.
  CHECK(image.height > image.width);
  CHECK(image.width > 300);
  CHECK(image.width < 1500);
  CHECK(image.height > 9 * 60);
  CHECK(image.height < 9 * 200);
  // Black text and lines on white: some ink, mostly paper.
  std::size_t ink = 0;
  for (std::size_t i = 0; i < image.pixels.size(); i += 3) ink += image.pixels[i] < 128;
  const double ink_share = static_cast<double>(ink) / (image.pixels.size() / 3);
  CHECK(ink_share > 0.01);
  CHECK(ink_share < 0.3);
}

TEST_CASE("A plot's SVG names every layer with its type, and its PDF is a PDF") {
  TempDir dir;
  const auto& model = cnn::examples::small_inception;
  const std::string graph = cnn::to_dot(model, with_shapes());
  const DrawnPlot svg = draw_dot(graph, dir.file("model.svg"));
  CHECK(svg.format == "svg");
  const std::string text = read_all(dir.file("model.svg"));
  CHECK(text.find("<svg") != std::string::npos);
  for (const cnn::Node& n : model.nodes) {
    const std::string label =
        std::string(n.name.view()) + ": " + std::string(cnn::class_name(n.kind));
    INFO(label);
    CHECK(text.find(">" + label + "</text>") != std::string::npos);
  }
  CHECK(text.find("(None, 16, 16, 56)") != std::string::npos);

  draw_dot(graph, dir.file("model.PDF"));
  CHECK(read_all(dir.file("model.PDF")).rfind("%PDF-", 0) == 0);
  draw_dot(graph, dir.file("model"));  // no extension: PNG, as Keras
  CHECK(png_size(dir.file("model")).first > 0);
}

TEST_CASE("InceptionV3's plot keeps every box at full size") {
  TempDir dir;
  const std::string path = dir.file("inception_v3.png");
  const DrawnPlot drawn =
      draw_dot(cnn::to_dot(cnn::examples::inception_v3_finetune, with_shapes()), path);
  // Tall (the longest path crosses ~150 layers) but under cairo's 32767 pixels, so not
  // shrunk: its text is as large as the small models'.
  CHECK(drawn.scale == 1);
  const auto [width, height] = png_size(path);
  CHECK(width == Approx(drawn.width).margin(2));
  CHECK(height == Approx(drawn.height).margin(2));
  CHECK(height > 10'000);
  CHECK(height < 32'767);
  CHECK(width < height);
}

TEST_CASE("A graph too large for a PNG is drawn smaller, and says so") {
  std::string dot = "digraph g { node [shape=record];\n";
  for (int i = 0; i < 700; ++i)
    dot += "n" + std::to_string(i) + " -> n" + std::to_string(i + 1) + ";\n";
  dot += "}\n";
  TempDir dir;
  const DrawnPlot drawn = draw_dot(dot, dir.file("tall.png"));
  CHECK(drawn.scale < 1);
  const auto [width, height] = png_size(dir.file("tall.png"));
  CHECK(height <= 32'767);
  CHECK(height == Approx(drawn.height).margin(2));
  CHECK(height > 30'000);  // shrunk to the limit, not below it
  CHECK(width > 0);
}

TEST_CASE("A bad plot path, extension or graph is a clear error that keeps the old file") {
  TempDir dir;
  const std::string graph = cnn::to_dot(cnn::examples::mnist_cnn);
  CHECK_THROWS_WITH(draw_dot(graph, dir.file("model.gif")),
                    Catch::Contains("cannot draw a '.gif' file: name it .png, .svg or .pdf"));
  CHECK_THROWS_WITH(plot_format("model.jpeg"), Catch::Contains("name it .png, .svg or .pdf"));
  CHECK_THROWS_WITH(draw_dot(graph, dir.file("missing/model.png")),
                    Catch::Contains("no such directory"));
  std::filesystem::create_directory(dir.file("folder.png"));
  CHECK_THROWS_WITH(draw_dot(graph, dir.file("folder.png")),
                    Catch::Contains("cannot write: Is a directory"));
  CHECK_FALSE(std::filesystem::exists(dir.file("model.gif")));

  write_file(dir.file("old.png"), "the old picture");
  CHECK_THROWS_WITH(
      draw_dot("digraph { a -> ; }", dir.file("old.png")),
      Catch::Contains("Graphviz could not read the graph: ") && Catch::Contains("syntax error"));
  CHECK(read_all(dir.file("old.png")) == "the old picture");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path),
                      std::filesystem::directory_iterator()) == 2);  // no temporary left
}
