// Ctrl-C (SIGINT) and SIGTERM during training: the first one asks training to stop after
// the current step so that its state can be saved; a second one ends the process at once.
//
// Under several processes, a SIGTERM from the process's launcher (its parent: mpirun or
// Open MPI's daemon) means Open MPI is ending the job, because a peer process ended or
// mpirun was stopped, and its SIGKILL follows within a second: no step completes and
// nothing can be saved. The handler then says so, names a peer that has ended where it can
// see one (on this machine), says which checkpoint to resume from, and exits.
#pragma once

#include <atomic>
#include <string>

#include "runtime/train/distributed.hpp"

namespace cnn::runtime {

class InterruptGuard {
 public:
  explicit InterruptGuard(const Communicator& comm = Communicator::single_process());
  ~InterruptGuard();  // restores the previous handlers
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Set once a signal has arrived; what Trainer::fit polls.
  static const std::atomic<bool>& requested();
  static int signal_number();

  // What the handler reports, kept current by the training loop: the step in flight
  // (counting from 1) and the last state written that --resume takes.
  static void note_step(int epoch, long long step);
  static void note_checkpoint(const std::string& path, int epoch);
};

// The handler's report when the launcher ends the job, written into `out` (async-signal
// safe: no allocation); what it returns is its length.
struct JobEnd {
  int rank = 0, ranks = 1, signal = 0;
  const ProcessIdentity* processes = nullptr;  // by rank
  bool (*has_ended)(const ProcessIdentity&) = nullptr;
  int epoch = 0;
  long long step = 0;
  const char* checkpoint = nullptr;  // "" when none was written
  int checkpoint_epoch = 0;
};
std::size_t describe_job_end(const JobEnd& end, char* out, std::size_t capacity);

}  // namespace cnn::runtime
