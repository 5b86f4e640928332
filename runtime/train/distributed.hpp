// Data-parallel training across the processes `mpirun` starts (Open MPI does the process
// management and the reductions; we write no cluster engine). Each rank computes the
// gradients of its shard of every global batch and the ranks average them before the same
// update runs on every one. Outside mpirun, or in a build without MPI, the world is this
// one process and every collective is the identity.
#pragma once

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace cnn::runtime {

// Where a rank runs: enough to say which process ended, and to check it from a signal
// handler when it shares this process's machine and process namespace.
struct ProcessIdentity {
  int pid = 0;
  char host[64] = {};
  char boot_id[40] = {};            // the kernel's, per boot: the same machine
  unsigned long pid_namespace = 0;  // the same process numbers
  // Whether `other`'s pid can be looked up from this process.
  bool can_look_up(const ProcessIdentity& other) const;

  static ProcessIdentity of_this_process();
};

class Communicator {
 public:
  // The processes mpirun started with this one. MPI starts on the first call, and only
  // when mpirun launched the process; it ends when the process exits.
  static const Communicator& world();
  // Just this process: what unit tests and single-process code use.
  static const Communicator& single_process();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  // Element-wise sums over every rank, in place; every rank gets the result.
  void sum(std::span<float> values) const;
  void sum(std::span<double> values) const;
  // Rank 0's values replace every other rank's.
  void broadcast(std::span<float> values) const;
  // Ends every rank's process: after an error on one rank the others would wait forever.
  [[noreturn]] void abort(int exit_code) const;
  // Every rank's process, by rank (gathered when MPI starts).
  const std::vector<ProcessIdentity>& processes() const { return processes_; }

 private:
  Communicator(int rank, int size);
  int rank_ = 0;
  int size_ = 1;
  std::vector<ProcessIdentity> processes_;
};

// Rank `rank`'s contiguous part [first, last) of the samples [begin, end), the parts of
// `ranks` ranks differing in size by at most one, larger ones first.
std::pair<std::size_t, std::size_t> shard_of(std::size_t begin, std::size_t end, int rank,
                                             int ranks);

}  // namespace cnn::runtime
