#include "runtime/model/isolated.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
// The caller's read ran short: the child ended early (its Error or its crash says why).
struct EndOfPipe {};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}
}  // namespace

void PipeWriter::bytes(const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(3);  // the reader has gone: nothing left to tell it
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}
void PipeWriter::text(const std::string& s) {
  u64(s.size());
  bytes(s.data(), s.size());
}

void PipeReader::bytes(void* data, std::size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw EndOfPipe{};
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}
std::size_t PipeReader::u64() {
  std::size_t v = 0;
  bytes(&v, sizeof v);
  return v;
}
std::string PipeReader::text(std::size_t max_size) {
  const std::size_t n = u64();
  if (n > max_size) throw EndOfPipe{};
  std::string s(n, '\0');
  bytes(s.data(), n);
  return s;
}

void run_isolated(const std::string& what, const std::function<void(PipeWriter&)>& produce,
                  const std::function<void(PipeReader&)>& consume) {
  int data[2], error[2];
  if (::pipe(data) != 0) throw Error(fmt::format("{}: cannot make a pipe to read it", what));
  if (::pipe(error) != 0) {
    ::close(data[0]);
    ::close(data[1]);
    throw Error(fmt::format("{}: cannot make a pipe to read it", what));
  }
  const pid_t child = ::fork();
  if (child < 0) {
    for (int fd : {data[0], data[1], error[0], error[1]}) ::close(fd);
    throw Error(fmt::format("{}: cannot start a process to read it", what));
  }
  if (child == 0) {
    // _exit, never exit: the parent's atexit work (MPI, open files) is not the child's. A
    // crash is the child's own: the parent's handlers (a test framework's) do not run.
    for (int sig : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL}) std::signal(sig, SIG_DFL);
    ::close(data[0]);
    ::close(error[0]);
    PipeWriter out{data[1]};
    int status = 0;
    try {
      produce(out);
    } catch (const Error& e) {
      PipeWriter{error[1]}.text(e.what());
      status = 2;
    } catch (...) {
      status = 4;
    }
    ::_exit(status);
  }
  close_fd(data[1]);
  close_fd(error[1]);
  bool complete = true;
  std::exception_ptr failure;
  try {
    PipeReader in{data[0]};
    consume(in);
  } catch (const EndOfPipe&) {
    complete = false;
  } catch (...) {
    failure = std::current_exception();
  }
  close_fd(data[0]);  // a child still writing gets SIGPIPE
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  std::string message;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    try {
      message = PipeReader{error[0]}.text(1 << 16);
    } catch (const EndOfPipe&) {
    }
  }
  close_fd(error[0]);
  if (!message.empty()) throw Error(message);
  if (failure) std::rethrow_exception(failure);
  if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(fmt::format("{}: the reader crashed on it ({}): a corrupt or hostile file", what,
                            WIFSIGNALED(status)
                                ? fmt::format("signal {}", WTERMSIG(status))
                                : fmt::format("exit status {}", WEXITSTATUS(status))));
}

}  // namespace cnn::runtime
