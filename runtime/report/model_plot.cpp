#include "runtime/report/model_plot.hpp"

#include <fmt/format.h>
#include <graphviz/gvc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {

// Cairo's largest image side, in pixels: a larger PNG is drawn scaled down to fit.
constexpr double kCairoMaxPixels = 32767;

// Graphviz reports errors through one process-wide function: collected here, one draw at
// a time, so that an error names its cause on the trainer's one line.
std::mutex graphviz_mutex;
std::string graphviz_messages;
int collect_message(char* message) {
  graphviz_messages += message;
  return 0;
}

std::string last_message() {
  std::string text = graphviz_messages;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const auto line = text.rfind('\n');
  return line == std::string::npos ? text : text.substr(line + 1);
}

struct Graph {
  GVC_t* gvc;
  Agraph_t* g;
  bool laid_out = false;
  ~Graph() {
    if (laid_out) gvFreeLayout(gvc, g);
    agclose(g);
  }
  void lay_out(const std::string& path) {
    if (laid_out) gvFreeLayout(gvc, g);
    laid_out = gvLayout(gvc, g, "dot") == 0;
    if (!laid_out)
      throw Error(
          fmt::format("{}: Graphviz could not lay out the graph: {}", path, last_message()));
  }
  // The drawing's size in points, with dot's default margin of 4 points on each side.
  std::pair<double, double> size() const {
    const boxf bb = GD_bb(g);
    return {bb.UR.x - bb.LL.x + 8, bb.UR.y - bb.LL.y + 8};
  }
  double dpi() const { return GD_drawing(g)->dpi > 0 ? GD_drawing(g)->dpi : 96; }
};

void write_replacing(const std::string& path, const char* data, std::size_t size) {
  const std::string tmp = fmt::format("{}.tmp{}", path, ::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  bool ok = std::fwrite(data, 1, size, f) == size;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(tmp.c_str());
    throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(error)));
  }
}

}  // namespace

#ifdef __SANITIZE_ADDRESS__
// LeakSanitizer: fontconfig (through Graphviz's cairo renderer) and Graphviz keep caches for
// the process's life that they never free; what this project allocates is still checked.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libgvc.so\n";
}
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif

std::string plot_format(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  if (extension.empty()) return "png";
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png" || extension == ".svg" || extension == ".pdf") return extension.substr(1);
  throw Error(fmt::format("{}: cannot draw a '{}' file: name it .png, .svg or .pdf", path,
                          std::filesystem::path(path).extension().string()));
}

DrawnPlot draw_dot(const std::string& dot, const std::string& path) {
  DrawnPlot drawn;
  drawn.format = plot_format(path);
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw Error(fmt::format("{}: cannot write: no such directory", path));

  std::lock_guard lock(graphviz_mutex);
  graphviz_messages.clear();
  agseterrf(collect_message);
  agseterr(AGERR);
  // Loads the plugins once and keeps them to the end (as the dot program does), so that
  // what they keep for the process stays reachable.
  static GVC_t* const gvc = gvContext();
  Agraph_t* parsed = agmemread(dot.c_str());
  if (parsed == nullptr)
    throw Error(fmt::format("{}: Graphviz could not read the graph: {}", path, last_message()));
  Graph graph{gvc, parsed};
  graph.lay_out(path);

  const auto [width_points, height_points] = graph.size();
  drawn.width = width_points;
  drawn.height = height_points;
  if (drawn.format == "png") {
    const double dpi = graph.dpi();
    drawn.width = width_points * dpi / 72;
    drawn.height = height_points * dpi / 72;
    const double largest = std::max(drawn.width, drawn.height);
    if (largest > kCairoMaxPixels) {
      // Drawn at a lower resolution here, so that Graphviz does not scale it on its own.
      drawn.scale = kCairoMaxPixels / largest * 0.999;
      agsafeset(graph.g, const_cast<char*>("dpi"),
                const_cast<char*>(fmt::format("{:.3f}", dpi * drawn.scale).c_str()),
                const_cast<char*>(""));
      graph.lay_out(path);
      drawn.width *= drawn.scale;
      drawn.height *= drawn.scale;
    }
  }

  char* data = nullptr;
  unsigned int size = 0;
  const int rendered = gvRenderData(gvc, graph.g, drawn.format.c_str(), &data, &size);
  std::unique_ptr<char, void (*)(char*)> owned(data, gvFreeRenderData);
  if (rendered != 0 || data == nullptr || size == 0)
    throw Error(
        fmt::format("{}: Graphviz could not draw {}: {}", path, drawn.format, last_message()));
  write_replacing(path, data, size);
  return drawn;
}

}  // namespace cnn::runtime
