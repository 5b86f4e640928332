// Halide's default error handler prints and aborts; a kernel fed a wrong buffer must instead
// become the runtime's one-line Error. Installed once by the Trainer and the Optimizer.
#pragma once

#include <string>

namespace cnn::runtime {

void capture_kernel_errors();
// Throws Error naming the kernel and Halide's message when `status` is not 0.
void check_kernel(int status, const std::string& kernel);

}  // namespace cnn::runtime
