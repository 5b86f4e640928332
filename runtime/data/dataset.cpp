#include "runtime/data/dataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "runtime/data/cifar_binary.hpp"
#include "runtime/data/idx.hpp"
#include "runtime/data/image_folder.hpp"
#include "runtime/error.hpp"

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
    throw Error(
        fmt::format("{}: expected labels of 1 dimension, got {}", labels_path, labels.dims.size()));
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

namespace {

TrainTest load_idx_directory(const std::string& dir) {
  const std::string train_images = find_idx(dir, "train-images", "idx3-ubyte");
  const std::string train_labels = find_idx(dir, "train-labels", "idx1-ubyte");
  TrainTest tt;
  tt.train = load_idx_pair(train_images, train_labels);
  const std::string test_images = find_idx(dir, "t10k-images", "idx3-ubyte");
  const std::string test_labels = find_idx(dir, "t10k-labels", "idx1-ubyte");
  if (!test_images.empty() && !test_labels.empty())
    tt.test = load_idx_pair(test_images, test_labels);
  return tt;
}

// The test set of a folder of images must name the same classes as its training set.
void check_same_classes(const Dataset& train, const Dataset& test) {
  if (train.class_names != test.class_names)
    throw Error(
        fmt::format("{} and {} have different class subfolders", train.source, test.source));
}

}  // namespace

TrainTest load_directory(const std::string& dir, int height, int width, int channels) {
  if (!fs::is_directory(dir)) throw Error(fmt::format("{}: no such directory", dir));
  if (!find_idx(dir, "train-images", "idx3-ubyte").empty() &&
      !find_idx(dir, "train-labels", "idx1-ubyte").empty())
    return load_idx_directory(dir);
  if (is_cifar_binary_dir(dir)) return load_cifar_binary(dir);
  const fs::path batches = fs::path(dir) / "cifar-10-batches-bin";
  if (is_cifar_binary_dir(batches.string())) return load_cifar_binary(batches.string());
  const fs::path train = fs::path(dir) / "train", test = fs::path(dir) / "test";
  if (is_image_folder(train.string())) {
    TrainTest tt;
    tt.train = read_image_folder(train.string(), height, width, channels);
    if (is_image_folder(test.string())) {
      tt.test = read_image_folder(test.string(), height, width, channels);
      check_same_classes(tt.train, tt.test);
    }
    return tt;
  }
  if (is_image_folder(dir)) return {read_image_folder(dir, height, width, channels), {}};
  throw Error(fmt::format(
      "{}: no data set found: expected MNIST-style idx files (train-images-idx3-ubyte[.gz], "
      "train-labels-idx1-ubyte[.gz]; scripts/fetch_mnist.sh fetches MNIST), CIFAR-10's "
      "data_batch_1..5.bin, or train/<class>/ folders of JPEG or PNG images",
      dir));
}

Dataset pad_images(const Dataset& d, int height, int width) {
  if (height < d.height || width < d.width)
    throw Error(fmt::format("{}: {}x{} images cannot be padded to a smaller {}x{}", d.source,
                            d.height, d.width, height, width));
  Dataset p = d;
  p.height = height;
  p.width = width;
  p.pixels.assign(d.size() * p.image_elements(), 0.0f);
  const int top = (height - d.height) / 2, left = (width - d.width) / 2;
  const std::size_t row = static_cast<std::size_t>(d.width) * d.channels;
  for (std::size_t i = 0; i < d.size(); ++i)
    for (int y = 0; y < d.height; ++y)
      std::copy_n(d.image(i) + y * row, row,
                  p.pixels.data() + i * p.image_elements() +
                      (static_cast<std::size_t>(top + y) * width + left) * d.channels);
  return p;
}

std::string class_name(const Dataset& d, int c) {
  if (c >= 0 && static_cast<std::size_t>(c) < d.class_names.size())
    return d.class_names[static_cast<std::size_t>(c)];
  return std::to_string(c);
}

}  // namespace cnn::runtime
