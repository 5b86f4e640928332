// ModelCheckpoint path patterns from the command line: any text gives a path or an Error.
#include <string_view>

#include "runtime/error.hpp"
#include "runtime/train/callbacks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cnn::runtime::EpochLog log;
  log.epoch = 3;
  log.loss = 0.25;
  log.val_loss = 0.5;
  try {
    (void)cnn::runtime::checkpoint_path(std::string_view(reinterpret_cast<const char*>(data), size),
                                        log);
  } catch (const cnn::runtime::Error&) {
  }
  return 0;
}
