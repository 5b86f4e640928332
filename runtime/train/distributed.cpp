#include "runtime/train/distributed.hpp"

#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "runtime/error.hpp"

#ifdef CNN_HAVE_MPI
// MPI's C API only: its deprecated C++ bindings would need another library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace cnn::runtime {

namespace {

// mpirun (Open MPI's, or a PMI launcher's) tells its processes the size of their world.
int launched_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* v = std::getenv(name)) return std::max(1, std::atoi(v));
  return 0;
}

#ifdef CNN_HAVE_MPI
// MPI_Finalize when the process exits normally; an abort skips it, as it should.
struct MpiSession {
  MpiSession() {
    int provided = 0;
    // Only the main thread calls MPI; Halide's worker threads never do.
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  ~MpiSession() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
};

// MPI counts are ints: large buffers go in pieces.
template <class T, class Call>
void in_pieces(std::span<T> values, Call&& call) {
  for (std::size_t done = 0; done < values.size();) {
    const int n = static_cast<int>(std::min<std::size_t>(values.size() - done, INT_MAX / 2));
    call(values.data() + done, n);
    done += static_cast<std::size_t>(n);
  }
}

template <class T>
void all_sum(std::span<T> values, MPI_Datatype type) {
  in_pieces(values, [&](T* piece, int n) {
    MPI_Allreduce(MPI_IN_PLACE, piece, n, type, MPI_SUM, MPI_COMM_WORLD);
  });
}
#endif

}  // namespace

ProcessIdentity ProcessIdentity::of_this_process() {
  ProcessIdentity me;
  me.pid = static_cast<int>(::getpid());
  gethostname(me.host, sizeof me.host - 1);
  std::string boot;
  std::getline(std::ifstream("/proc/sys/kernel/random/boot_id"), boot);
  std::strncpy(me.boot_id, boot.c_str(), sizeof me.boot_id - 1);
  struct stat ns {};
  if (stat("/proc/self/ns/pid", &ns) == 0) me.pid_namespace = ns.st_ino;
  return me;
}

bool ProcessIdentity::can_look_up(const ProcessIdentity& other) const {
  return boot_id[0] != '\0' && pid_namespace != 0 &&
         std::strncmp(boot_id, other.boot_id, sizeof boot_id) == 0 &&
         pid_namespace == other.pid_namespace;
}

Communicator::Communicator(int rank, int size)
    : rank_(rank), size_(size), processes_(static_cast<std::size_t>(size)) {
  processes_[static_cast<std::size_t>(rank)] = ProcessIdentity::of_this_process();
#ifdef CNN_HAVE_MPI
  if (size > 1)
    MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, processes_.data(), sizeof(ProcessIdentity),
                  MPI_BYTE, MPI_COMM_WORLD);
#endif
}

const Communicator& Communicator::single_process() {
  static const Communicator one(0, 1);
  return one;
}

const Communicator& Communicator::world() {
  static const Communicator w = [] {
    if (launched_world_size() == 0) return Communicator(0, 1);
#ifdef CNN_HAVE_MPI
    static MpiSession session;
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return Communicator(rank, size);
#else
    if (launched_world_size() > 1)
      throw Error(
          "started by mpirun, but this build has no MPI: install libopenmpi-dev and rebuild, or "
          "run without mpirun");
    return Communicator(0, 1);
#endif
  }();
  return w;
}

void Communicator::sum([[maybe_unused]] std::span<float> values) const {
  if (size_ == 1) return;
#ifdef CNN_HAVE_MPI
  all_sum(values, MPI_FLOAT);
#endif
}

void Communicator::sum([[maybe_unused]] std::span<double> values) const {
  if (size_ == 1) return;
#ifdef CNN_HAVE_MPI
  all_sum(values, MPI_DOUBLE);
#endif
}

void Communicator::broadcast([[maybe_unused]] std::span<float> values) const {
  if (size_ == 1) return;
#ifdef CNN_HAVE_MPI
  in_pieces(values, [](float* piece, int n) { MPI_Bcast(piece, n, MPI_FLOAT, 0, MPI_COMM_WORLD); });
#endif
}

void Communicator::abort(int exit_code) const {
#ifdef CNN_HAVE_MPI
  if (size_ > 1) MPI_Abort(MPI_COMM_WORLD, exit_code);
#endif
  std::exit(exit_code);
}

std::pair<std::size_t, std::size_t> shard_of(std::size_t begin, std::size_t end, int rank,
                                             int ranks) {
  const std::size_t n = end - begin, k = static_cast<std::size_t>(ranks),
                    r = static_cast<std::size_t>(rank);
  const std::size_t base = n / k, extra = n % k;
  const std::size_t first = begin + r * base + std::min(r, extra);
  return {first, first + base + (r < extra ? 1 : 0)};
}

}  // namespace cnn::runtime
