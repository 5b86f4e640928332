// CIFAR-10's binary version (cifar-10-batches-bin): data_batch_1..5.bin and test_batch.bin,
// each a run of 3073-byte records: one label byte, then the 32x32 red, green and blue
// planes, row by row.
#pragma once

#include <string>

#include "runtime/data/dataset.hpp"

namespace cnn::runtime {

// The records of one file, as NHWC floats in [0, 1]. Refuses a file whose size is not a
// whole number of records, or a label outside 0..9, naming the file and the record.
Dataset read_cifar_binary(const std::string& path);

// data_batch_1..5.bin as the training set and test_batch.bin as the test set of `dir`.
TrainTest load_cifar_binary(const std::string& dir);

// Whether `dir` holds CIFAR-10's binary files.
bool is_cifar_binary_dir(const std::string& dir);

}  // namespace cnn::runtime
