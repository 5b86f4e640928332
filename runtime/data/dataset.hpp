// A labelled image set in memory: float32 pixels in [0, 1], NHWC, and class indices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cnn::runtime {

struct Dataset {
  std::string source;  // where it was read from, for messages
  int height = 0;
  int width = 0;
  int channels = 0;
  int classes = 0;
  std::vector<std::string> class_names;  // empty: the classes are numbered
  std::vector<float> pixels;             // size() * height * width * channels
  std::vector<std::uint8_t> labels;      // size()

  std::size_t size() const { return labels.size(); }
  std::size_t image_elements() const { return static_cast<std::size_t>(height) * width * channels; }
  const float* image(std::size_t i) const { return pixels.data() + i * image_elements(); }
  // Samples [begin, end) as a new set.
  Dataset slice(std::size_t begin, std::size_t end) const;
};

// The training and test sets of a directory.
struct TrainTest {
  Dataset train;
  Dataset test;  // empty when the directory holds no test set
};

// Reads the data set in `dir`, whichever format it holds:
// - MNIST-style idx files, plain or gzipped (train-images-idx3-ubyte[.gz],
//   train-labels-idx1-ubyte[.gz], t10k-...): MNIST, Fashion-MNIST;
// - CIFAR-10's binary version (data_batch_1..5.bin, test_batch.bin), in `dir` or in its
//   subfolder cifar-10-batches-bin;
// - folders of images in class subfolders: `dir`/train/<class>/ and `dir`/test/<class>/,
//   or `dir`/<class>/ alone as a training set; images are read as `image_shape` says.
TrainTest load_directory(const std::string& dir, int height, int width, int channels);

// The images zero-padded, centred, to height x width (LeNet-5's 32x32 MNIST).
Dataset pad_images(const Dataset& d, int height, int width);

// The name of class `c`: the data set's own, or its number.
std::string class_name(const Dataset& d, int c);

}  // namespace cnn::runtime
