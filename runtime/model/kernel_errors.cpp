#include "runtime/model/kernel_errors.hpp"

#include <HalideRuntime.h>
#include <fmt/format.h>

#include <mutex>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
std::mutex mutex;
std::string last_message;

void remember(void*, const char* message) {
  std::lock_guard<std::mutex> lock(mutex);
  last_message = message;
  while (!last_message.empty() && last_message.back() == '\n') last_message.pop_back();
}
}  // namespace

void capture_kernel_errors() {
  static const bool installed = (halide_set_error_handler(remember), true);
  (void)installed;
}

void check_kernel(int status, const std::string& kernel) {
  if (status == 0) return;
  std::lock_guard<std::mutex> lock(mutex);
  throw Error(
      fmt::format("the generated {} kernel failed: {}", kernel,
                  last_message.empty() ? fmt::format("Halide error {}", status) : last_message));
}

}  // namespace cnn::runtime
