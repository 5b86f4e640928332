// The trainer's command line, the same for every model:
//   NAME summary [--dot FILE]
//   NAME train --data DIR [--epochs 12] [--batch-size 128] [--optimizer rmsprop] [--lr F]
//              [--validation-split 0.2] [--seed N] [--shuffle true|false] [--max-steps N]
//              [--initial-weights FILE] [--save FILE] [--metrics-json FILE] [--threads N]
//   NAME evaluate --data DIR --weights FILE [--metrics-json FILE]
//   NAME predict --weights FILE --data DIR [--count N]
#pragma once

#include "runtime/kernels.hpp"
#include "runtime/model_info.hpp"

namespace cnn::runtime {

// Runs the command; a user's mistake prints one line on stderr and returns non-zero.
int trainer_main(int argc, char** argv, const ModelInfo& model, const ModelKernels& kernels);

}  // namespace cnn::runtime
