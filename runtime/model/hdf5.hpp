// What Keras's weight files need of HDF5 (Debian's libhdf5, its C API): groups, string-array
// attributes, and float datasets, read and written. Every failure throws Error naming the
// file and the object; HDF5's own error printing is off.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/model/safetensors.hpp"  // NamedTensor

namespace cnn::runtime {

// An HDF5 identifier, closed with its own kind's close function.
class H5Id {
 public:
  H5Id() = default;
  H5Id(std::int64_t id, int (*close)(std::int64_t)) : id_(id), close_(close) {}
  H5Id(H5Id&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  H5Id& operator=(H5Id&& o) noexcept;
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  ~H5Id();
  std::int64_t get() const { return id_; }

 private:
  std::int64_t id_ = -1;
  int (*close_)(std::int64_t) = nullptr;
};

class H5Group {
 public:
  H5Group(H5Id id, std::string file, std::string path)
      : id_(std::move(id)), file_(std::move(file)), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  bool has(const std::string& name) const;  // a link of that name (group or dataset)
  bool has_group(const std::string& name) const;
  bool has_attribute(const std::string& name) const;
  H5Group group(const std::string& name) const;
  std::vector<std::string> member_names() const;  // in HDF5's (name) order

  // A 1-D array of strings, fixed or variable length; Keras splits long ones into
  // `name0`, `name1`, ... (its HDF5_OBJECT_HEADER_LIMIT), read here as one list.
  std::vector<std::string> strings(const std::string& name) const;
  std::string string(const std::string& name) const;  // a scalar string attribute
  // A floating-point dataset (16, 32 or 64 bits) as float32; refused when it is not one,
  // when it has more than kMaxElements elements, when its storage is missing, or when it
  // decompresses beyond any real compression ratio (a bomb).
  NamedTensor floats(const std::string& name) const;

  H5Group create_group(const std::string& name);
  void write_strings(const std::string& name, const std::vector<std::string>& values);
  void write_string(const std::string& name, const std::string& value);
  void write_floats(const std::string& name, const std::vector<std::int64_t>& shape,
                    const float* values);

  static constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::string where(const std::string& name) const;
  H5Id id_;
  std::string file_, path_;
};

class H5File {
 public:
  // Refuses a file that is not HDF5 with one line; `name` is what messages call it.
  static H5File open(const std::string& path);
  // An HDF5 file held in memory (a member of a .keras archive).
  static H5File open_image(const std::vector<char>& bytes, const std::string& name);
  // Written to `path` (truncated); close() before renaming it into place.
  static H5File create(const std::string& path);
  H5Group root() const;
  void close();

 private:
  H5File(H5Id id, std::string name) : id_(std::move(id)), name_(std::move(name)) {}
  H5Id id_;
  std::string name_;
};

// The 8-byte signature every HDF5 file starts with (without a user block).
bool is_hdf5(const std::string& path);

}  // namespace cnn::runtime
