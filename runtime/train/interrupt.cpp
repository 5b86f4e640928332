#include "runtime/train/interrupt.hpp"

#include <unistd.h>
#include <csignal>
#include <cstdlib>

namespace cnn::runtime {

namespace {
std::atomic<bool> stop_requested{false};
std::atomic<int> last_signal{0};
struct sigaction previous_int {
}, previous_term{};

extern "C" void on_signal(int sig) {
  if (stop_requested.exchange(true)) _exit(128 + sig);  // the second signal: stop now
  last_signal.store(sig);
  constexpr char message[] = "\nInterrupted: stopping after this step and saving the state...\n";
  [[maybe_unused]] auto n = write(STDERR_FILENO, message, sizeof message - 1);
}
}  // namespace

InterruptGuard::InterruptGuard() {
  stop_requested.store(false);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

const std::atomic<bool>& InterruptGuard::requested() { return stop_requested; }

int InterruptGuard::signal_number() { return last_signal.load(); }

}  // namespace cnn::runtime
