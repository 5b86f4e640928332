// Ctrl-C (SIGINT) and SIGTERM during training: the first one asks training to stop after
// the current step so that its state can be saved; a second one ends the process at once.
#pragma once

#include <atomic>

namespace cnn::runtime {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the handlers
  ~InterruptGuard();  // restores the previous ones
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set once a signal has arrived; what Trainer::fit polls.
  static const std::atomic<bool>& requested();
  static int signal_number();
};

}  // namespace cnn::runtime
