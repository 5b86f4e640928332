#include "runtime/report/plots.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {

// A gnuplot string literal: single quotes doubled.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A path as one shell word.
std::string quoted_for_shell(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// gnuplot reads the script, data blocks included, from a pipe.
void run_gnuplot(const std::string& script, int width, int height, const std::string& png_path) {
  const std::filesystem::path parent = std::filesystem::path(png_path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw Error(fmt::format("{}: cannot write: no such directory", png_path));
  const std::string tmp = png_path + ".tmp";
  const std::string full = fmt::format(
      "set terminal pngcairo noenhanced font 'sans,10' size {},{}\n"
      "set output {}\n{}",
      width, height, quoted(tmp), script);
  // gnuplot's own messages go to a log that an error quotes, not to the trainer's output.
  const std::string log =
      (std::filesystem::temp_directory_path() / fmt::format("cnn-gnuplot-{}.log", ::getpid()))
          .string();
  FILE* pipe = popen(fmt::format("gnuplot 2>{}", quoted_for_shell(log)).c_str(), "w");
  if (pipe == nullptr) throw Error("cannot start gnuplot");
  std::fwrite(full.data(), 1, full.size(), pipe);
  const int status = pclose(pipe);
  std::string last_line;
  {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) last_line = line;
  }
  std::remove(log.c_str());
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::remove(tmp.c_str());
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
      throw Error(
          fmt::format("{}: gnuplot is not installed (apt-get install gnuplot-nox)", png_path));
    throw Error(fmt::format("{}: gnuplot failed to draw it: {}", png_path, last_line));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, png_path, ec);
  if (ec) throw Error(fmt::format("{}: cannot write: {}", png_path, ec.message()));
}

// Image i of `data` as a gnuplot data block named `name`: x y grey, or x y r g b.
std::string image_block(const std::string& name, const Dataset& data, std::size_t i) {
  std::string block = name + " << EOD\n";
  const float* px = data.image(i);
  for (int y = 0; y < data.height; ++y)
    for (int x = 0; x < data.width; ++x) {
      const float* p = px + (static_cast<std::size_t>(y) * data.width + x) * data.channels;
      block += data.channels == 3 ? fmt::format("{} {} {:.0f} {:.0f} {:.0f}\n", x, y, p[0] * 255,
                                                p[1] * 255, p[2] * 255)
                                  : fmt::format("{} {} {:.0f}\n", x, y, p[0] * 255);
    }
  return block + "EOD\n";
}

// The plot command of such a block, with axes set up for one image.
std::string image_plot(const std::string& name, const Dataset& data) {
  return fmt::format(
      "unset tics\nunset border\nunset colorbox\nset size ratio -1\nset palette gray\n"
      "set cbrange [0:255]\nset yrange [{}:-0.5] reverse\nset xrange [-0.5:{}]\n"
      "plot {} using 1:2:3{} with {}\n",
      data.height - 0.5, data.width - 0.5, name, data.channels == 3 ? ":4:5" : "",
      data.channels == 3 ? "rgbimage" : "image");
}

}  // namespace

void plot_history(const std::vector<EpochLog>& history, const std::string& metric,
                  const std::string& png_path) {
  const bool loss = metric == "loss";
  std::string data = "$h << EOD\n";
  bool validation = false;
  for (const EpochLog& e : history) {
    const double train = loss ? e.loss : e.accuracy;
    const auto val = loss ? e.val_loss : e.val_accuracy;
    validation = validation || val.has_value();
    data +=
        fmt::format("{} {:.9g} {}\n", e.epoch, train, val ? fmt::format("{:.9g}", *val) : "NaN");
  }
  data += "EOD\n";
  std::string script = data;
  script += fmt::format(
      "set title 'Training and validation {0}'\nset xlabel 'epoch'\nset ylabel '{0}'\n"
      "set grid\nset key {1}\nset xtics 1\nset xrange [0.5:{2}]\nset datafile missing 'NaN'\n",
      metric, loss ? "top right" : "bottom right",
      (history.empty() ? 1 : history.back().epoch) + 0.5);
  script += "plot $h using 1:2 with linespoints lw 2 pt 7 title 'training'";
  if (validation) script += ", $h using 1:3 with linespoints lw 2 pt 5 title 'validation'";
  script += '\n';
  run_gnuplot(script, 800, 500, png_path);
}

void plot_confusion(const ConfusionMatrix& m, const Dataset& data, const std::string& png_path) {
  std::string script = "$m << EOD\n";
  long long peak = 1;
  for (int t = 0; t < m.classes; ++t)
    for (int p = 0; p < m.classes; ++p) {
      script += fmt::format("{} {} {}\n", p, t, m.at(t, p));
      peak = std::max(peak, m.at(t, p));
    }
  script += "EOD\n";
  std::string tics;
  for (int c = 0; c < m.classes; ++c)
    tics += fmt::format("{}{} {}", c ? ", " : "", quoted(class_name(data, c)), c);
  script += fmt::format(
      "set title 'Confusion matrix'\nset xlabel 'predicted'\nset ylabel 'true'\n"
      "set xtics ({0}) rotate by 45 right\nset ytics ({0})\nset yrange [{1}:-0.5] reverse\n"
      "set xrange [-0.5:{1}]\nset palette defined (0 'white', 1 '#08306b')\nset cbrange [0:{2}]\n"
      "set size ratio -1\nunset key\n"
      "plot $m using 1:2:3 with image, $m using 1:2:(sprintf('%d', $3)):($3 > {2}/2 ? 0xffffff : "
      "0) "
      "with labels tc rgb variable\n",
      tics, m.classes - 0.5, peak);
  run_gnuplot(script, 900, 800, png_path);
}

void plot_image_grid(const Dataset& data, const std::vector<int>& predicted, int rows, int columns,
                     const std::string& png_path) {
  const std::size_t count =
      std::min({data.size(), predicted.size(), static_cast<std::size_t>(rows * columns)});
  std::string script;
  for (std::size_t i = 0; i < count; ++i) script += image_block(fmt::format("$i{}", i), data, i);
  script += fmt::format(
      "set multiplot layout {},{} title 'true / predicted (wrong in red)'\n"
      "unset key\n",
      rows, columns);
  for (std::size_t i = 0; i < count; ++i) {
    const int truth = data.labels[i];
    const bool right = predicted[i] == truth;
    script += fmt::format("set title {} tc rgb '{}'\n",
                          quoted(class_name(data, truth) + " / " + class_name(data, predicted[i])),
                          right ? "black" : "red");
    script += image_plot(fmt::format("$i{}", i), data);
  }
  script += "unset multiplot\n";
  run_gnuplot(script, columns * 150, rows * 140 + 40, png_path);
}

void plot_probabilities(const Dataset& data, std::size_t index, const std::vector<float>& row,
                        const std::string& png_path) {
  if (index >= data.size()) throw Error(fmt::format("{}: no image {}", data.source, index));
  const int truth = data.labels[index];
  std::string script = image_block("$i", data, index) + "$p << EOD\n";
  int best = 0;
  for (std::size_t c = 0; c < row.size(); ++c) {
    std::string name = class_name(data, static_cast<int>(c));
    std::erase(name, '"');
    script += fmt::format("{} {:.6f} \"{}\"\n", c, row[c], name);
    if (row[c] > row[static_cast<std::size_t>(best)]) best = static_cast<int>(c);
  }
  script += "EOD\n";
  script += fmt::format("set multiplot layout 1,2\nunset key\nset title {}\n{}",
                        quoted(fmt::format("image {}: {}", index, class_name(data, truth))),
                        image_plot("$i", data));
  script += fmt::format(
      "set size noratio\nset border\nset tics\nset title 'predicted: {} ({:.1f}%)'\n"
      "set yrange [0:1]\nset xrange [-0.5:{}]\nset ylabel 'probability'\nset grid ytics\n"
      "set style fill solid 0.8\nset boxwidth 0.7\nset xtics rotate by 45 right\n"
      "plot $p using 1:2:($1 == {} ? 0x2ca02c : ($1 == {} ? 0xd62728 : 0x1f77b4)):xtic(3) "
      "with boxes lc rgb variable\nunset multiplot\n",
      class_name(data, best), 100.0 * row[static_cast<std::size_t>(best)], row.size() - 0.5, truth,
      best);
  run_gnuplot(script, 1100, 450, png_path);
}

}  // namespace cnn::runtime
