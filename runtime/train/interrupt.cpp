#include "runtime/train/interrupt.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace cnn::runtime {

namespace {
std::atomic<bool> stop_requested{false};
std::atomic<int> last_signal{0};
struct sigaction previous_int {
}, previous_term{};
const Communicator* job = nullptr;

std::atomic<int> step_epoch{0};
std::atomic<long long> step_in_epoch{0};
// The last checkpoint's path in one of two buffers, switched whole, so that the handler
// never reads one half written.
constexpr std::size_t kPathCapacity = 4096;
char checkpoint_paths[2][kPathCapacity] = {};
int checkpoint_epochs[2] = {};
std::atomic<int> checkpoint_buffer{-1};

// Appends to a fixed buffer, as a signal handler may (no allocation, no locale).
struct Text {
  char* out;
  std::size_t capacity, size = 0;
  Text& operator<<(const char* s) {
    while (*s != '\0' && size + 1 < capacity) out[size++] = *s++;
    out[size] = '\0';
    return *this;
  }
  Text& operator<<(long long v) {
    char digits[24];
    int n = 0;
    const bool negative = v < 0;
    unsigned long long u =
        negative ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    do {
      digits[n++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (negative) *this << "-";
    char text[24];
    for (int i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
    text[n] = '\0';
    return *this << static_cast<const char*>(text);
  }
  Text& operator<<(int v) { return *this << static_cast<long long>(v); }
};

// A process of this machine and namespace has ended once it is gone or a zombie.
bool process_has_ended(const ProcessIdentity& p) {
  if (kill(p.pid, 0) == -1 && errno == ESRCH) return true;
  char path[64];
  Text name{path, sizeof path};
  name << "/proc/" << p.pid << "/stat";
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return true;
  char stat[512];
  const ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return true;
  stat[n] = '\0';
  const char* end_of_name = std::strrchr(stat, ')');  // "pid (name) S ..."
  return end_of_name != nullptr && (end_of_name[2] == 'Z' || end_of_name[2] == 'X');
}

extern "C" void on_signal(int sig, siginfo_t* info, void*) {
  const bool from_launcher =
      job != nullptr && job->size() > 1 && info != nullptr && info->si_pid == getppid();
  if (from_launcher) {
    const int buffer = checkpoint_buffer.load();
    JobEnd end;
    end.rank = job->rank();
    end.ranks = job->size();
    end.signal = sig;
    end.processes = job->processes().data();
    end.has_ended = process_has_ended;
    end.epoch = step_epoch.load();
    end.step = step_in_epoch.load();
    end.checkpoint = buffer >= 0 ? checkpoint_paths[buffer] : "";
    end.checkpoint_epoch = buffer >= 0 ? checkpoint_epochs[buffer] : 0;
    static char message[8192];
    const std::size_t n = describe_job_end(end, message, sizeof message);
    if (n > 0) {
      [[maybe_unused]] auto written = write(STDERR_FILENO, message, n);
    }
    _exit(128 + sig);
  }
  if (stop_requested.exchange(true)) _exit(128 + sig);  // the second signal: stop now
  last_signal.store(sig);
  constexpr char message[] = "\nInterrupted: stopping after this step and saving the state...\n";
  [[maybe_unused]] auto n = write(STDERR_FILENO, message, sizeof message - 1);
}
}  // namespace

std::size_t describe_job_end(const JobEnd& end, char* out, std::size_t capacity) {
  const ProcessIdentity& me = end.processes[end.rank];
  // The lowest rank that may be alive speaks for the job; the others stay silent.
  int dead[64], dead_count = 0;
  bool unknown = false;
  for (int r = 0; r < end.ranks; ++r) {
    if (r == end.rank) continue;
    const ProcessIdentity& p = end.processes[r];
    if (!me.can_look_up(p)) {
      unknown = true;
      if (r < end.rank) return 0;
    } else if (end.has_ended(p)) {
      if (dead_count < 64) dead[dead_count++] = r;
    } else if (r < end.rank) {
      return 0;
    }
  }
  Text t{out, capacity};
  t << "\nrank " << end.rank << " of " << end.ranks << " (" << me.host << "): signal " << end.signal
    << " from the launcher: Open MPI is ending the job";
  if (dead_count > 0) {
    t << ", because ";
    for (int i = 0; i < dead_count; ++i) {
      const ProcessIdentity& p = end.processes[dead[i]];
      t << (i == 0                ? ""
            : i + 1 == dead_count ? " and "
                                  : ", ")
        << "rank " << dead[i] << " (pid " << p.pid << " on " << p.host << ")";
    }
    t << (dead_count == 1 ? " has ended" : " have ended");
  } else if (unknown) {
    t << ": a process on another host ended, or mpirun was stopped (Open MPI's message says "
         "which)";
  } else {
    t << ": no process of it has ended, so mpirun itself was stopped";
  }
  t << ".\nThe step in flight (epoch " << end.epoch << ", step " << end.step
    << ") is lost and nothing is saved now: Open MPI kills the processes a moment later.\n";
  if (end.checkpoint != nullptr && end.checkpoint[0] != '\0')
    t << "Resume from the last checkpoint, written after epoch " << end.checkpoint_epoch
      << ": the same command with --resume " << end.checkpoint << "\n";
  else
    t << "No checkpoint was written: a new run starts from the beginning (--checkpoint PATH "
         "writes one every epoch).\n";
  return t.size;
}

InterruptGuard::InterruptGuard(const Communicator& comm) {
  stop_requested.store(false);
  job = &comm;
  struct sigaction action {};
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  job = nullptr;
}

const std::atomic<bool>& InterruptGuard::requested() { return stop_requested; }

int InterruptGuard::signal_number() { return last_signal.load(); }

void InterruptGuard::note_step(int epoch, long long step) {
  step_epoch.store(epoch);
  step_in_epoch.store(step);
}

void InterruptGuard::note_checkpoint(const std::string& path, int epoch) {
  const int next = checkpoint_buffer.load() == 0 ? 1 : 0;
  std::strncpy(checkpoint_paths[next], path.c_str(), kPathCapacity - 1);
  checkpoint_paths[next][kPathCapacity - 1] = '\0';
  checkpoint_epochs[next] = epoch;
  checkpoint_buffer.store(next);
}

}  // namespace cnn::runtime
