// A folder of images in class subfolders, as Keras's image_dataset_from_directory reads
// it: the classes are the subfolders' names in sorted order (so CIFAR-10's folders give
// its label order), and every JPEG or PNG inside is one sample. The samples come in one
// fixed shuffled order, so that the last fraction held out for validation mixes the classes.
#pragma once

#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"

namespace cnn::runtime {

// Reads every image under `dir`/<class>/ as `height` x `width` x `channels`; an image of
// another size is resized to it, bilinear, as image_dataset_from_directory(image_size) does.
// An image over kMaxSide pixels on a side is refused, naming it, before it is decoded.
inline constexpr int kMaxSide = 8192;
Dataset read_image_folder(const std::string& dir, int height, int width, int channels);

// Image files, unlabelled (label 0, no classes), read and resized as above: what Keras's
// load_img(target_size) and img_to_array give a model to predict.
Dataset read_image_files(const std::vector<std::string>& paths, int height, int width,
                         int channels);

// Whether `dir` has subfolders holding images.
bool is_image_folder(const std::string& dir);

}  // namespace cnn::runtime
