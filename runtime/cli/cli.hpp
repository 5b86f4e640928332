// The trainer's command line, the same for every model (NAME --help lists every flag):
//   NAME summary [--plot FILE.png|svg|pdf] [--show-shapes] [--show-trainable] [--rankdir TB|LR]
//                [--dpi N] [--show-layer-names true|false] [--dot FILE]
//   NAME train --data DIR [--epochs N] [--batch-size N] [--optimizer rmsprop] [--lr F]
//              [--loss categorical_crossentropy] [--validation-split F | --validation-data
//              test|DIR]
//              [--seed N] [--shuffle true|false] [--max-steps N] [--threads N]
//              [--cache-frozen-base true|false]
//              [--initial-weights FILE | --resume FILE] [--transfer-from FILE
//              [--transfer-layers a,b]] [--freeze a,b] [--save FILE [--save-weights-only]]
//              [--checkpoint PATTERN ...] [--early-stopping-patience N ...]
//              [--reduce-lr-patience N ...] [--metrics-json FILE] [--history-dir DIR]
//   NAME evaluate --data DIR --weights FILE [--metrics-json FILE] [--report-dir DIR [--image N]]
//   NAME predict --weights FILE --data DIR [--count N]
// The model's recipe (dsl/recipe.hpp) gives the defaults of the training flags.
#pragma once

#include "dsl/recipe.hpp"
#include "runtime/model/kernels.hpp"
#include "runtime/model/model_info.hpp"

namespace cnn::runtime {

// Runs the command; a user's mistake prints one line on stderr and returns non-zero.
int trainer_main(int argc, char** argv, const ModelInfo& model, const ModelKernels& kernels,
                 const Recipe& recipe = {});

}  // namespace cnn::runtime
