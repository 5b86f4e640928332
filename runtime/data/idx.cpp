#include "runtime/data/idx.hpp"

#include <zlib.h>

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// gzread reads gzipped and plain files alike.
bool read_exact(gzFile f, void* out, std::size_t bytes) {
  auto* p = static_cast<unsigned char*>(out);
  while (bytes > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(bytes, 1u << 30));
    const int got = gzread(f, p, chunk);
    if (got <= 0) return false;
    p += got;
    bytes -= static_cast<std::size_t>(got);
  }
  return true;
}
}  // namespace

IdxArray read_idx(const std::string& path, std::size_t max_bytes) {
  if (!std::filesystem::is_regular_file(path)) throw Error(fmt::format("{}: no such file", path));
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw Error(fmt::format("{}: cannot open", path));
  unsigned char magic[4];
  if (!read_exact(f.get(), magic, 4))
    throw Error(fmt::format("{}: not an idx file (shorter than its 4-byte magic number)", path));
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08)
    throw Error(
        fmt::format("{}: not an idx file of unsigned bytes (magic {:02x} {:02x} {:02x} {:02x})",
                    path, magic[0], magic[1], magic[2], magic[3]));
  const int rank = magic[3];
  if (rank < 1 || rank > 4)
    throw Error(fmt::format("{}: idx file with {} dimensions; expected 1 to 4", path, rank));
  IdxArray a;
  std::size_t total = 1;
  for (int i = 0; i < rank; ++i) {
    unsigned char b[4];
    if (!read_exact(f.get(), b, 4))
      throw Error(
          fmt::format("{}: truncated in its header (dimension {} of {})", path, i + 1, rank));
    const std::uint32_t d = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                            (std::uint32_t{b[2]} << 8) | b[3];
    if (d == 0) throw Error(fmt::format("{}: dimension {} is zero", path, i + 1));
    if (total > max_bytes / d)
      throw Error(fmt::format("{}: declares more than {} bytes of data", path, max_bytes));
    total *= d;
    a.dims.push_back(d);
  }
  // Read in chunks rather than allocating what the header claims: a short file that
  // declares gigabytes costs no more memory than it holds.
  constexpr std::size_t chunk = std::size_t{1} << 20;
  while (a.data.size() < total) {
    const std::size_t have = a.data.size();
    a.data.resize(std::min(total, have + chunk));
    if (!read_exact(f.get(), a.data.data() + have, a.data.size() - have))
      throw Error(fmt::format("{}: truncated: the header declares {} bytes of data", path, total));
  }
  unsigned char extra;
  if (gzread(f.get(), &extra, 1) > 0)
    throw Error(fmt::format("{}: longer than its header declares ({} bytes of data)", path, total));
  return a;
}

}  // namespace cnn::runtime
