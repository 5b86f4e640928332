#include "runtime/model/hdf5.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
// HDF5 prints its error stack to stderr by default; our errors say what went wrong instead.
void quiet_hdf5() {
  static const bool once = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)once;
}
// deflate's ratio cannot pass about 1032:1; a dataset that claims more is a bomb.
constexpr double kMaxCompressionRatio = 1100;

H5Id checked(hid_t id, int (*close)(hid_t)) { return id < 0 ? H5Id() : H5Id(id, close); }
}  // namespace

H5Id& H5Id::operator=(H5Id&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}
H5Id::~H5Id() {
  if (id_ >= 0 && close_ != nullptr) close_(id_);
}

bool is_hdf5(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[8] = {};
  in.read(sig, 8);
  return in.gcount() == 8 && std::memcmp(sig, "\x89HDF\r\n\x1a\n", 8) == 0;
}

std::string H5Group::where(const std::string& name) const {
  const std::string sep = path_.ends_with('/') ? "" : "/";
  return fmt::format("{}: {}{}{}", file_, path_, sep, name);
}
void H5Group::fail(const std::string& what) const { throw Error(what); }

bool H5Group::has(const std::string& name) const {
  // H5Lexists wants every component but the last to exist: walk them one by one.
  if (name.empty() || name.front() == '/') return false;
  std::size_t end = 0;
  do {
    end = name.find('/', end + 1);
    const std::string prefix = name.substr(0, end);
    if (H5Lexists(id_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (end != std::string::npos) {
      H5O_info_t info;
      if (H5Oget_info_by_name2(id_.get(), prefix.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0 ||
          info.type != H5O_TYPE_GROUP)
        return false;
    }
  } while (end != std::string::npos);
  return true;
}

bool H5Group::has_group(const std::string& name) const {
  if (!has(name)) return false;
  H5O_info_t info;
  return H5Oget_info_by_name2(id_.get(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) >= 0 &&
         info.type == H5O_TYPE_GROUP;
}

bool H5Group::has_attribute(const std::string& name) const {
  return H5Aexists(id_.get(), name.c_str()) > 0;
}

H5Group H5Group::group(const std::string& name) const {
  if (!has_group(name)) fail(fmt::format("{}: no such group", where(name)));
  H5Id g = checked(H5Gopen2(id_.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
  if (g.get() < 0) fail(fmt::format("{}: cannot open the group", where(name)));
  const std::string sep = path_.ends_with('/') ? "" : "/";
  return H5Group(std::move(g), file_, path_ + sep + name);
}

std::vector<std::string> H5Group::member_names() const {
  H5G_info_t info;
  if (H5Gget_info(id_.get(), &info) < 0) fail(fmt::format("{}: cannot list the group", where("")));
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n =
        H5Lget_name_by_idx(id_.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0) fail(fmt::format("{}: cannot list the group", where("")));
    std::string name(static_cast<std::size_t>(n), '\0');
    H5Lget_name_by_idx(id_.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                       static_cast<std::size_t>(n) + 1, H5P_DEFAULT);
    names.push_back(std::move(name));
  }
  return names;
}

namespace {
// The strings of an open attribute: fixed-length (numpy's bytes arrays, h5py's default for
// them) or variable-length; trailing NULs and spaces of fixed-length ones trimmed.
std::vector<std::string> read_string_attribute(hid_t attr, const std::string& where) {
  H5Id type = checked(H5Aget_type(attr), H5Tclose);
  H5Id space = checked(H5Aget_space(attr), H5Sclose);
  if (type.get() < 0 || space.get() < 0)
    throw Error(fmt::format("{}: cannot read the attribute", where));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0 || count > (1 << 24))
    throw Error(fmt::format("{}: {} strings in an attribute", where, count));
  std::vector<std::string> out;
  // Keras saves an empty list as numpy's empty float64 array: no strings, whatever the type.
  if (count == 0) return out;
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw Error(fmt::format("{}: not an attribute of strings", where));
  if (H5Tis_variable_str(type.get()) > 0) {
    H5Id mem = checked(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.get(), H5T_VARIABLE);
    H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
    std::vector<char*> ptrs(static_cast<std::size_t>(count), nullptr);
    const bool read = H5Aread(attr, mem.get(), ptrs.data()) >= 0;
    if (read)
      for (char* p : ptrs) out.emplace_back(p == nullptr ? "" : p);
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());  // what was read, if any
    if (!read) throw Error(fmt::format("{}: cannot read the strings", where));
  } else {
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0 || size > (1 << 20))
      throw Error(fmt::format("{}: strings of {} bytes", where, size));
    if (static_cast<double>(size) * static_cast<double>(count) > (1 << 28))
      throw Error(fmt::format("{}: an attribute of {} strings of {} bytes", where, count, size));
    std::vector<char> buf(size * static_cast<std::size_t>(count));
    if (H5Aread(attr, type.get(), buf.data()) < 0)
      throw Error(fmt::format("{}: cannot read the strings", where));
    for (hssize_t i = 0; i < count; ++i) {
      std::string s(buf.data() + static_cast<std::size_t>(i) * size, size);
      s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
      while (!s.empty() && s.back() == ' ') s.pop_back();
      out.push_back(std::move(s));
    }
  }
  return out;
}
}  // namespace

std::vector<std::string> H5Group::strings(const std::string& name) const {
  auto read = [&](const std::string& attr_name) {
    H5Id attr = checked(H5Aopen(id_.get(), attr_name.c_str(), H5P_DEFAULT), H5Aclose);
    if (attr.get() < 0)
      fail(fmt::format("{} (attribute {}): cannot open it", where(""), attr_name));
    return read_string_attribute(attr.get(),
                                 fmt::format("{} (attribute {})", where(""), attr_name));
  };
  if (has_attribute(name)) return read(name);
  std::vector<std::string> all;
  for (int chunk = 0; has_attribute(name + std::to_string(chunk)); ++chunk) {
    auto part = read(name + std::to_string(chunk));
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

std::string H5Group::string(const std::string& name) const {
  if (!has_attribute(name)) return {};
  const auto values = strings(name);
  return values.size() == 1 ? values.front() : std::string();
}

NamedTensor H5Group::floats(const std::string& name) const {
  if (!has(name)) fail(fmt::format("{}: no such dataset", where(name)));
  H5Id set = checked(H5Dopen2(id_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (set.get() < 0) fail(fmt::format("{}: not a dataset", where(name)));
  H5Id type = checked(H5Dget_type(set.get()), H5Tclose);
  if (type.get() < 0 || H5Tget_class(type.get()) != H5T_FLOAT)
    fail(fmt::format("{}: not a dataset of floating-point numbers", where(name)));
  const std::size_t type_size = H5Tget_size(type.get());
  if (type_size != 2 && type_size != 4 && type_size != 8)
    fail(fmt::format("{}: floats of {} bytes (this program reads 16, 32 and 64 bits)", where(name),
                     type_size));
  H5Id space = checked(H5Dget_space(set.get()), H5Sclose);
  const int rank = space.get() < 0 ? -1 : H5Sget_simple_extent_ndims(space.get());
  if (rank < 0 || rank > 8) fail(fmt::format("{}: a dataset of rank {}", where(name), rank));
  hsize_t dims[8] = {};
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  NamedTensor t;
  std::int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] > static_cast<hsize_t>(kMaxElements))
      fail(fmt::format("{}: dimension {} of {} elements", where(name), i, dims[i]));
    t.shape.push_back(static_cast<std::int64_t>(dims[i]));
    count *= static_cast<std::int64_t>(dims[i]);
    if (count > kMaxElements)
      fail(fmt::format("{}: more than {} elements", where(name), kMaxElements));
  }
  if (count > 0) {
    H5D_space_status_t status;
    if (H5Dget_space_status(set.get(), &status) < 0 || status != H5D_SPACE_STATUS_ALLOCATED)
      fail(fmt::format("{}: its data was never written", where(name)));
    const double stored = static_cast<double>(H5Dget_storage_size(set.get()));
    if (stored * kMaxCompressionRatio < static_cast<double>(count) * static_cast<double>(type_size))
      fail(fmt::format("{}: {} bytes stored for {} elements (a compression bomb?)", where(name),
                       stored, count));
  }
  t.values.resize(static_cast<std::size_t>(count));
  if (count > 0 &&
      H5Dread(set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.values.data()) < 0)
    fail(fmt::format("{}: cannot read the data (truncated or corrupt file?)", where(name)));
  return t;
}

H5Group H5Group::create_group(const std::string& name) {
  H5Id lcpl = checked(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  H5Id g =
      checked(H5Gcreate2(id_.get(), name.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (g.get() < 0) fail(fmt::format("{}: cannot create the group", where(name)));
  const std::string sep = path_.ends_with('/') ? "" : "/";
  return H5Group(std::move(g), file_, path_ + sep + name);
}

void H5Group::write_strings(const std::string& name, const std::vector<std::string>& values) {
  // Fixed-length, NUL-padded: what h5py writes for numpy's bytes arrays, as Keras saves them.
  std::size_t size = 1;
  for (const auto& v : values) size = std::max(size, v.size());
  H5Id type = checked(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), size);
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  const hsize_t n = values.size();
  H5Id space = checked(H5Screate_simple(1, &n, nullptr), H5Sclose);
  std::vector<char> buf(std::max<std::size_t>(size * values.size(), 1), '\0');  // never null
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(buf.data() + i * size, values[i].data(), values[i].size());
  H5Id attr = checked(
      H5Acreate2(id_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (attr.get() < 0 || H5Awrite(attr.get(), type.get(), buf.data()) < 0)
    fail(fmt::format("{} (attribute {}): cannot write it", where(""), name));
}

void H5Group::write_string(const std::string& name, const std::string& value) {
  // A scalar fixed-length string: how h5py stores a Python bytes attribute.
  H5Id type = checked(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), std::max<std::size_t>(value.size(), 1));
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  H5Id space = checked(H5Screate(H5S_SCALAR), H5Sclose);
  std::string buf = value;
  buf.resize(std::max<std::size_t>(value.size(), 1), '\0');
  H5Id attr = checked(
      H5Acreate2(id_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (attr.get() < 0 || H5Awrite(attr.get(), type.get(), buf.data()) < 0)
    fail(fmt::format("{} (attribute {}): cannot write it", where(""), name));
}

void H5Group::write_floats(const std::string& name, const std::vector<std::int64_t>& shape,
                           const float* values) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  H5Id space =
      checked(dims.empty() ? H5Screate(H5S_SCALAR)
                           : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
              H5Sclose);
  H5Id lcpl = checked(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  H5Id set = checked(H5Dcreate2(id_.get(), name.c_str(), H5T_IEEE_F32LE, space.get(), lcpl.get(),
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose);
  if (set.get() < 0 ||
      H5Dwrite(set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0)
    fail(fmt::format("{}: cannot write the dataset", where(name)));
}

H5File H5File::open(const std::string& path) {
  quiet_hdf5();
  if (!is_hdf5(path)) throw Error(fmt::format("{}: not an HDF5 file", path));
  H5Id id = checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (id.get() < 0)
    throw Error(fmt::format("{}: HDF5 cannot open it (truncated or corrupt?)", path));
  return H5File(std::move(id), path);
}

H5File H5File::open_image(const std::vector<char>& bytes, const std::string& name) {
  quiet_hdf5();
  if (bytes.size() < 8 || std::memcmp(bytes.data(), "\x89HDF\r\n\x1a\n", 8) != 0)
    throw Error(fmt::format("{}: not an HDF5 file", name));
  H5Id fapl = checked(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // The core driver reads from memory; the image is copied, so `bytes` may go.
  if (H5Pset_fapl_core(fapl.get(), 1 << 20, 0) < 0 ||
      H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()) < 0)
    throw Error(fmt::format("{}: HDF5 cannot take it into memory", name));
  H5Id id = checked(H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
  if (id.get() < 0)
    throw Error(fmt::format("{}: HDF5 cannot open it (truncated or corrupt?)", name));
  return H5File(std::move(id), name);
}

H5File H5File::create(const std::string& path) {
  quiet_hdf5();
  H5Id id = checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (id.get() < 0) throw Error(fmt::format("{}: cannot create it", path));
  return H5File(std::move(id), path);
}

H5Group H5File::root() const {
  H5Id g = checked(H5Gopen2(id_.get(), "/", H5P_DEFAULT), H5Gclose);
  if (g.get() < 0) throw Error(fmt::format("{}: cannot open its root group", name_));
  return H5Group(std::move(g), name_, "/");
}

void H5File::close() {
  if (id_.get() >= 0 && H5Fflush(id_.get(), H5F_SCOPE_GLOBAL) < 0)
    throw Error(fmt::format("{}: cannot write it", name_));
  id_ = H5Id();
}

}  // namespace cnn::runtime
