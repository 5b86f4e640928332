#include <HalideRuntime.h>
#include <fmt/format.h>

#include <thread>

#include "runtime/cli/commands.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/image_folder.hpp"
#include "runtime/data/preprocess.hpp"
#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {

Dataset fit_to_model(Dataset d, const ModelInfo& model, const Flags& f) {
  const Shape s = model.input_shape();
  if (f.pad_to_input && d.channels == s.channels && (d.height < s.height || d.width < s.width))
    d = pad_images(d, s.height, s.width);
  if (d.height != s.height || d.width != s.width || d.channels != s.channels)
    throw Error(fmt::format("{}: images are {}x{}x{}, but model {} takes {}x{}x{}{}", d.source,
                            d.height, d.width, d.channels, model.name, s.height, s.width,
                            s.channels,
                            d.height <= s.height && d.width <= s.width && d.channels == s.channels
                                ? " (--pad-to-input true pads them)"
                                : ""));
  if (d.classes != model.classes())
    throw Error(fmt::format("{}: {} classes, but model {} predicts {}", d.source, d.classes,
                            model.name, model.classes()));
  if (d.class_names.empty() && f.class_names.size() == static_cast<std::size_t>(d.classes))
    d.class_names = f.class_names;
  return d;
}

}  // namespace

void set_threads(int threads) {
  if (threads < 0) throw Error("--threads must be positive");
  const int n =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  halide_set_num_threads(n);
}

TrainTest load_for_model(const std::string& dir, const ModelInfo& model, const Flags& f) {
  const Shape s = model.input_shape();
  TrainTest tt = load_directory(dir, s.height, s.width, s.channels);
  tt.train = fit_to_model(std::move(tt.train), model, f);
  if (tt.test.size() > 0) tt.test = fit_to_model(std::move(tt.test), model, f);
  if (f.resplit_test > 0)
    tt = resplit(tt, f.resplit_test, static_cast<std::uint64_t>(f.resplit_seed));
  if (f.min_max_scale) min_max_scale(tt);
  preprocess_input(tt.train, f.preprocess_input);
  preprocess_input(tt.test, f.preprocess_input);
  return tt;
}

Dataset images_for_model(const std::vector<std::string>& paths, const ModelInfo& model,
                         const Flags& f) {
  const Shape s = model.input_shape();
  Dataset d = read_image_files(paths, s.height, s.width, s.channels);
  d.classes = model.classes();
  if (f.class_names.size() == static_cast<std::size_t>(d.classes)) d.class_names = f.class_names;
  preprocess_input(d, f.preprocess_input);
  return d;
}

}  // namespace cnn::runtime
