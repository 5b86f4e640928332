#include "runtime/dataset.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "runtime/error.hpp"
#include "runtime/idx.hpp"

namespace cnn::runtime {

namespace fs = std::filesystem;

Dataset Dataset::slice(std::size_t begin, std::size_t end) const {
  Dataset d = *this;
  d.labels.assign(labels.begin() + static_cast<std::ptrdiff_t>(begin),
                  labels.begin() + static_cast<std::ptrdiff_t>(end));
  d.pixels.assign(pixels.begin() + static_cast<std::ptrdiff_t>(begin * image_elements()),
                  pixels.begin() + static_cast<std::ptrdiff_t>(end * image_elements()));
  return d;
}

namespace {

// `base` or `base.gz` in dir, also with the '.' Fashion-MNIST's mirrors use: "-idx3" / ".idx3".
std::string find_idx(const fs::path& dir, const std::string& prefix, const std::string& suffix) {
  for (const std::string sep : {"-", "."})
    for (const std::string ext : {"", ".gz"}) {
      const fs::path p = dir / (prefix + sep + suffix + ext);
      if (fs::is_regular_file(p)) return p.string();
    }
  return {};
}

Dataset load_idx_pair(const std::string& images_path, const std::string& labels_path) {
  const IdxArray images = read_idx(images_path);
  const IdxArray labels = read_idx(labels_path);
  if (images.dims.size() != 3)
    throw Error(fmt::format("{}: expected images of 3 dimensions (count, rows, columns), got {}",
                            images_path, images.dims.size()));
  if (labels.dims.size() != 1)
    throw Error(fmt::format("{}: expected labels of 1 dimension, got {}", labels_path,
                            labels.dims.size()));
  if (labels.dims[0] != images.dims[0])
    throw Error(fmt::format("{} has {} labels but {} has {} images", labels_path, labels.dims[0],
                            images_path, images.dims[0]));
  Dataset d;
  d.source = images_path;
  d.height = static_cast<int>(images.dims[1]);
  d.width = static_cast<int>(images.dims[2]);
  d.channels = 1;
  d.classes = 10;
  for (std::size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] >= d.classes)
      throw Error(fmt::format("{}: label {} of sample {} is not a class 0..9", labels_path,
                              labels.data[i], i));
  d.labels = labels.data;
  d.pixels.resize(images.data.size());
  for (std::size_t i = 0; i < images.data.size(); ++i) d.pixels[i] = images.data[i] / 255.0f;
  return d;
}

}  // namespace

TrainTest load_directory(const std::string& dir) {
  if (!fs::is_directory(dir)) throw Error(fmt::format("{}: no such directory", dir));
  const std::string train_images = find_idx(dir, "train-images", "idx3-ubyte");
  const std::string train_labels = find_idx(dir, "train-labels", "idx1-ubyte");
  if (train_images.empty() || train_labels.empty())
    throw Error(fmt::format("{}: no data set found: expected train-images-idx3-ubyte[.gz] and "
                            "train-labels-idx1-ubyte[.gz] (scripts/fetch_mnist.sh fetches MNIST)",
                            dir));
  TrainTest tt;
  tt.train = load_idx_pair(train_images, train_labels);
  const std::string test_images = find_idx(dir, "t10k-images", "idx3-ubyte");
  const std::string test_labels = find_idx(dir, "t10k-labels", "idx1-ubyte");
  if (!test_images.empty() && !test_labels.empty()) tt.test = load_idx_pair(test_images, test_labels);
  return tt;
}

}  // namespace cnn::runtime
