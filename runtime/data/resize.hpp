// Resizing an image as Keras's image_dataset_from_directory(image_size=...) does: TensorFlow's
// bilinear resize (tf.image.resize, antialias off), whose sample points sit at pixel centres.
#pragma once

#include <vector>

#include "runtime/data/image_file.hpp"

namespace cnn::runtime {

// The image at `height` x `width`, HWC, values in [0, 255] and not rounded (TensorFlow
// returns floats). The same size gives the pixels unchanged.
std::vector<float> resized_bilinear(const Image& image, int height, int width);

}  // namespace cnn::runtime
