// plot_model: a model's graph drawn to an image in process by Graphviz's library (gvc, from
// Debian's libgraphviz-dev), laid out by dot and rendered by cairo, as Keras's plot_model
// draws it through pydot and the dot program.
#pragma once

#include <string>

namespace cnn::runtime {

// What a plot's path asks for: "png", "svg" or "pdf" from its extension (PNG when it has
// none, as Keras). Throws Error for any other extension.
std::string plot_format(const std::string& path);

struct DrawnPlot {
  std::string format;
  double width = 0, height = 0;  // pixels for PNG, points for SVG and PDF
  double scale = 1;              // below 1 when a PNG was too large for cairo and was drawn smaller
};

// Lays out `dot` and writes the image to `path`, whose old content (if any) is replaced
// only once the whole image is drawn. Throws Error on a bad graph, format or path.
DrawnPlot draw_dot(const std::string& dot, const std::string& path);

}  // namespace cnn::runtime
