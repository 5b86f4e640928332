// PNG figures like the tutorials' matplotlib ones, drawn by gnuplot (Debian's gnuplot-nox)
// so that no Python is needed: training curves, the confusion matrix as a heat map, a grid
// of test images with their true and predicted labels, and one image's class
// probabilities as a bar chart. Each throws Error when gnuplot is missing or fails.
#pragma once

#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/report/confusion.hpp"
#include "runtime/train/epoch_log.hpp"

namespace cnn::runtime {

// Loss, or accuracy, per epoch: training against validation.
void plot_history(const std::vector<EpochLog>& history, const std::string& metric,
                  const std::string& png_path);

void plot_confusion(const ConfusionMatrix& m, const Dataset& data, const std::string& png_path);

// The first rows x columns images of `data` (or fewer), titled "true / predicted"; the
// wrong ones in red.
void plot_image_grid(const Dataset& data, const std::vector<int>& predicted, int rows, int columns,
                     const std::string& png_path);

// Image `index` of `data` beside its class probabilities.
void plot_probabilities(const Dataset& data, std::size_t index, const std::vector<float>& row,
                        const std::string& png_path);

}  // namespace cnn::runtime
