// A parser of untrusted files run in a child process. Debian's HDF5 1.10.8 reads past heap
// buffers on some corrupt files (found by fuzzing): a library we cannot make memory-safe
// parses in a forked child, which sends what it read back through a pipe, so that a hostile
// file crashes only the child and the caller gets an Error, its own memory untouched.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace cnn::runtime {

// The child's end of the pipe, and the caller's.
struct PipeWriter {
  int fd;
  void bytes(const void* data, std::size_t size);
  void u64(std::size_t value) { bytes(&value, sizeof value); }
  void text(const std::string& s);
};
struct PipeReader {
  int fd;
  void bytes(void* data, std::size_t size);  // throws on an early end
  std::size_t u64();
  std::string text(std::size_t max_size);
};

// Runs `produce` in a forked child and `consume` here, joined by a pipe. An Error the child
// throws is rethrown here with its message; a child that dies (a signal, a sanitizer's
// abort) or sends less than `consume` reads becomes an Error naming `what`.
void run_isolated(const std::string& what, const std::function<void(PipeWriter&)>& produce,
                  const std::function<void(PipeReader&)>& consume);

}  // namespace cnn::runtime
