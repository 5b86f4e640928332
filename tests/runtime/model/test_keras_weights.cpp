// Keras's HDF5 weight files: what we write reads back exactly in both layouts; files as
// Keras and h5py write them (variable-length names, float64 and float16 data) read; hostile
// or broken files are refused with a line naming the file and the object.
#include <hdf5.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/model/checkpoint.hpp"
#include "runtime/model/keras_weights.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tiny_models.hpp"

using namespace cnn;
using namespace cnn::runtime;
using Catch::Matchers::Contains;
using cnn::tests::TempDir;

namespace {
const ModelInfo& tiny_norm_info() {
  static const ModelInfo info = ModelInfo::of(tests::tiny_norm);
  return info;
}
// Every number distinct, the moving statistics too, so that a swap shows.
Weights distinct_weights(const ModelInfo& model) {
  Weights w = initial_weights(model, 7);
  for (std::size_t i = 0; i < w.params.size(); ++i) w.params[i] = 0.5f + static_cast<float>(i);
  for (std::size_t i = 0; i < w.state.size(); ++i) w.state[i] = -1.0f - static_cast<float>(i);
  return w;
}
bool equal_floats(const AlignedFloats& a, const AlignedFloats& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Raw HDF5, to make the files our writer never would.
struct RawFile {
  hid_t file;
  explicit RawFile(const std::string& path)
      : file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)) {}
  ~RawFile() { H5Fclose(file); }
  // Variable-length UTF-8 strings: what h5py writes for a list of Python str.
  void strings(hid_t at, const char* name, std::vector<const char*> values) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    const hsize_t n = values.size();
    hid_t space = H5Screate_simple(1, &n, nullptr);
    hid_t attr = H5Acreate2(at, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, type, values.data());
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  }
  hid_t group(const char* name) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t g = H5Gcreate2(file, name, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    return g;
  }
  // Group `layer` with the attribute naming its weights, as Keras 2 writes it.
  void keras2_layer(const char* layer, std::vector<const char*> weight_names) {
    hid_t g = group(layer);
    strings(g, "weight_names", std::move(weight_names));
    H5Gclose(g);
  }
  // A dataset of `type`, written from `data` unless it is null; `chunk` > 0: chunked.
  void dataset(const char* name, hid_t type, std::vector<hsize_t> dims, const void* data,
               hid_t mem_type, hsize_t chunk = 0) {
    hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (chunk > 0) {
      std::vector<hsize_t> chunks(dims.size(), 1);
      chunks.back() = chunk;
      H5Pset_chunk(dcpl, static_cast<int>(chunks.size()), chunks.data());
    }
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t set = H5Dcreate2(file, name, type, space, lcpl, dcpl, H5P_DEFAULT);
    if (data != nullptr) H5Dwrite(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(set);
    H5Pclose(lcpl);
    H5Pclose(dcpl);
    H5Sclose(space);
  }
};

// A Keras 2 file of one layer "d" with weight "d/kernel:0" made by `make`, read by name.
std::string read_error(const std::string& path) {
  try {
    read_keras_weights(H5File::open(path));
  } catch (const cnn::runtime::Error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("Keras 3 names each layer's state by its class and position") {
  const std::vector<std::string> expected = {"",
                                             "conv2d",
                                             "batch_normalization",
                                             "activation",
                                             "max_pooling2d",
                                             "average_pooling2d",
                                             "conv2d_1",
                                             "global_average_pooling2d",
                                             "dense",
                                             "batch_normalization_1",
                                             "activation_1"};
  CHECK(keras3_layer_paths(tiny_norm_info()) == expected);
}

TEST_CASE("Keras weight files we write load back exactly, in both layouts") {
  const ModelInfo& model = tiny_norm_info();
  const Weights w = distinct_weights(model);
  TempDir dir;
  for (const char* name : {"w.h5", "w.weights.h5", "w.hdf5"}) {
    INFO(name);
    save_keras_weights(dir.file(name), model, w);
    const SavedState loaded = load_checkpoint(dir.file(name), model);
    CHECK(equal_floats(loaded.weights.params, w.params));
    CHECK(equal_floats(loaded.weights.state, w.state));
    CHECK_FALSE(loaded.same_architecture);  // no training state in a Keras file
    CHECK_FALSE(keeps_training_state(dir.file(name)));
  }
  CHECK(keeps_training_state(dir.file("w.safetensors")));
}

TEST_CASE("Keras 2 files keep every layer's weights in the layer's order") {
  const ModelInfo& model = tiny_norm_info();
  TempDir dir;
  save_keras_weights(dir.file("w.h5"), model, distinct_weights(model));
  const KerasWeights k = read_keras_weights(H5File::open(dir.file("w.h5")));
  CHECK(k.layout == KerasWeights::Layout::keras2);
  REQUIRE(k.layers.size() == model.nodes.size() - 1);  // all but the input
  CHECK(k.layers[1].name == "batch_normalization");
  CHECK(k.layers[1].weight_names ==
        std::vector<std::string>{"batch_normalization/gamma:0", "batch_normalization/beta:0",
                                 "batch_normalization/moving_mean:0",
                                 "batch_normalization/moving_variance:0"});
  CHECK(k.layers[2].weights.empty());           // activation
  CHECK(k.layers[5].weight_names.size() == 1);  // conv2d_1 has no bias
  CHECK(k.layers[5].weights[0].shape == std::vector<std::int64_t>{1, 1, 4, 3});
}

TEST_CASE("by name, only the layers named load, and a weight count that differs is refused") {
  const ModelInfo& model = tiny_norm_info();
  TempDir dir;
  const Weights saved = distinct_weights(model);
  save_keras_weights(dir.file("w.h5"), model, saved);
  Weights w = initial_weights(model, 1);
  const Weights before = w;
  const LoadedLayers l = load_layers_by_name(dir.file("w.h5"), model, {"dense"}, w);
  CHECK(l.loaded == std::vector<std::string>{"dense"});
  const TensorSlot* dense_kernel = model.table.find(8, TensorRole::kernel);
  REQUIRE(dense_kernel != nullptr);
  CHECK(tensor_of(w, *dense_kernel)[0] == tensor_of(saved, *dense_kernel)[0]);
  const TensorSlot* conv_kernel = model.table.find(1, TensorRole::kernel);
  CHECK(tensor_of(w, *conv_kernel)[0] == tensor_of(before, *conv_kernel)[0]);

  // A file whose "conv2d" has one weight where the model's has two.
  RawFile f(dir.file("one.h5"));
  f.strings(f.file, "layer_names", {"conv2d"});
  f.keras2_layer("conv2d", {"conv2d/kernel:0"});
  const std::vector<float> k(3 * 3 * 2 * 4, 1.0f);
  f.dataset("conv2d/conv2d/kernel:0", H5T_IEEE_F32LE, {3, 3, 2, 4}, k.data(), H5T_NATIVE_FLOAT);
  H5Fflush(f.file, H5F_SCOPE_GLOBAL);
  CHECK_THROWS_WITH(load_layers_by_name(dir.file("one.h5"), model, {"conv2d"}, w),
                    Contains("layer 'conv2d' holds 1 weights; layer 'conv2d' of tiny_norm "
                             "(Conv2D) has 2"));
  const LoadedLayers skipped =
      load_layers_by_name(dir.file("one.h5"), model, {"conv2d"}, w, /*skip_mismatch=*/true);
  CHECK(skipped.loaded.empty());
  CHECK(skipped.skipped.size() == 1);
}

TEST_CASE("files as h5py writes them: variable-length names, float64 and float16 data") {
  TempDir dir;
  {
    RawFile f(dir.file("h5py.h5"));
    f.strings(f.file, "layer_names", {"d"});
    f.keras2_layer("d", {"d/kernel:0", "d/bias:0"});
    const double k[2] = {0.25, -3.5};
    f.dataset("d/d/kernel:0", H5T_IEEE_F64LE, {1, 2}, k, H5T_NATIVE_DOUBLE);
    const float b[2] = {1.5f, 65504.0f};  // float16's largest finite value
    hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(half, 15, 10, 5, 0, 10);
    H5Tset_size(half, 2);
    H5Tset_ebias(half, 15);
    f.dataset("d/d/bias:0", half, {2}, b, H5T_NATIVE_FLOAT);
    H5Tclose(half);
  }
  const KerasWeights k = read_keras_weights(H5File::open(dir.file("h5py.h5")));
  REQUIRE(k.layers.size() == 1);
  REQUIRE(k.layers[0].weights.size() == 2);
  CHECK(k.layers[0].weights[0].values == std::vector<float>{0.25f, -3.5f});
  CHECK(k.layers[0].weights[1].values == std::vector<float>{1.5f, 65504.0f});
}

TEST_CASE("broken and hostile Keras files are refused, naming the file and the object") {
  TempDir dir;
  auto keras2_layer = [&](const std::string& name, auto&& add_data) {
    RawFile f(dir.file(name));
    f.strings(f.file, "layer_names", {"d"});
    f.keras2_layer("d", {"d/kernel:0"});
    add_data(f);
  };
  keras2_layer("ints.h5", [](RawFile& f) {
    const int v[2] = {1, 2};
    f.dataset("d/d/kernel:0", H5T_STD_I32LE, {2}, v, H5T_NATIVE_INT);
  });
  CHECK_THAT(read_error(dir.file("ints.h5")),
             Contains("/d/d/kernel:0: not a dataset of floating-point numbers"));

  keras2_layer("huge.h5", [](RawFile& f) {
    f.dataset("d/d/kernel:0", H5T_IEEE_F32LE, {1 << 20, 1 << 20, 4}, nullptr, H5T_NATIVE_FLOAT, 4);
  });
  CHECK_THAT(read_error(dir.file("huge.h5")), Contains("more than 2147483648 elements"));

  keras2_layer("unwritten.h5", [](RawFile& f) {
    f.dataset("d/d/kernel:0", H5T_IEEE_F32LE, {1000, 1000}, nullptr, H5T_NATIVE_FLOAT, 100);
  });
  CHECK_THAT(read_error(dir.file("unwritten.h5")), Contains("its data was never written"));

  keras2_layer("missing.h5", [](RawFile&) {});
  CHECK_THAT(read_error(dir.file("missing.h5")), Contains("/d/d/kernel:0: no such dataset"));

  {
    RawFile f(dir.file("no_group.h5"));
    f.strings(f.file, "layer_names", {"d", "e"});
    H5Gclose(f.group("d"));
  }
  CHECK_THAT(read_error(dir.file("no_group.h5")), Contains("e: no such group"));

  {
    RawFile f(dir.file("other.h5"));
    H5Gclose(f.group("something"));
  }
  CHECK_THAT(read_error(dir.file("other.h5")), Contains("not Keras's weights"));

  tests::write_file(dir.file("text.h5"), "plain text, not HDF5");
  CHECK_THAT(read_error(dir.file("text.h5")), Contains("not an HDF5 file"));
}

TEST_CASE("by order, a file with another count of layers with weights is refused") {
  const ModelInfo& model = tiny_norm_info();
  TempDir dir;
  {
    RawFile f(dir.file("short.h5"));
    f.strings(f.file, "layer_names", {"conv2d"});
    f.keras2_layer("conv2d", {"conv2d/kernel:0", "conv2d/bias:0"});
    const std::vector<float> k(3 * 3 * 2 * 4, 1.0f);
    f.dataset("conv2d/conv2d/kernel:0", H5T_IEEE_F32LE, {3, 3, 2, 4}, k.data(), H5T_NATIVE_FLOAT);
    f.dataset("conv2d/conv2d/bias:0", H5T_IEEE_F32LE, {4}, k.data(), H5T_NATIVE_FLOAT);
  }
  CHECK_THROWS_WITH(load_checkpoint(dir.file("short.h5"), model),
                    Contains("1 layers with weights; tiny_norm has 5"));
}
