#include "runtime/data/image_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "runtime/data/image_file.hpp"
#include "runtime/data/resize.hpp"
#include "runtime/error.hpp"

namespace cnn::runtime {

namespace fs = std::filesystem;

namespace {

bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

std::vector<std::string> sorted_subfolders(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

bool is_image_folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (const std::string& sub : sorted_subfolders(dir))
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / sub))
      if (entry.is_regular_file() && is_image_name(entry.path())) return true;
  return false;
}

namespace {
// One image file as `height` x `width` x `channels` pixels in [0, 1], resized when it differs.
void read_scaled(const std::string& path, int height, int width, int channels, float* out) {
  // A header declaring a larger image is refused before its pixels are allocated.
  const Image image = read_image(path, channels, kMaxSide);
  const auto n = static_cast<std::size_t>(height) * width * channels;
  if (image.height == height && image.width == width) {
    for (std::size_t k = 0; k < n; ++k) out[k] = image.pixels[k] / 255.0f;
  } else {
    const std::vector<float> resized = resized_bilinear(image, height, width);
    for (std::size_t k = 0; k < n; ++k) out[k] = resized[k] / 255.0f;
  }
}
}  // namespace

Dataset read_image_files(const std::vector<std::string>& paths, int height, int width,
                         int channels) {
  Dataset d;
  d.source = paths.size() == 1 ? paths[0] : fmt::format("{} image files", paths.size());
  d.height = height;
  d.width = width;
  d.channels = channels;
  d.labels.assign(paths.size(), 0);
  d.pixels.resize(paths.size() * d.image_elements());
  for (std::size_t i = 0; i < paths.size(); ++i)
    read_scaled(paths[i], height, width, channels, d.pixels.data() + i * d.image_elements());
  return d;
}

Dataset read_image_folder(const std::string& dir, int height, int width, int channels) {
  if (!fs::is_directory(dir)) throw Error(fmt::format("{}: no such directory", dir));
  Dataset d;
  d.source = dir;
  d.height = height;
  d.width = width;
  d.channels = channels;
  d.class_names = sorted_subfolders(dir);
  if (d.class_names.empty()) throw Error(fmt::format("{}: no class subfolders", dir));
  if (d.class_names.size() > 256)
    throw Error(fmt::format("{}: {} class subfolders; at most 256 are supported", dir,
                            d.class_names.size()));
  d.classes = static_cast<int>(d.class_names.size());
  // Every file, sorted within its class, so that the order never depends on the file system.
  std::vector<std::pair<std::string, std::uint8_t>> files;
  for (std::size_t c = 0; c < d.class_names.size(); ++c) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fs::path(dir) / d.class_names[c]))
      if (entry.is_regular_file() && is_image_name(entry.path()))
        names.push_back(entry.path().string());
    std::sort(names.begin(), names.end());
    for (auto& n : names) files.emplace_back(std::move(n), static_cast<std::uint8_t>(c));
  }
  if (files.empty())
    throw Error(fmt::format("{}: no .jpg, .jpeg or .png images in its subfolders", dir));
  // Class by class, the last fraction would hold out whole classes: shuffle once, with a fixed
  // seed, as image_dataset_from_directory does, so that a validation split is a fair sample.
  std::mt19937_64 rng(1337);
  for (std::size_t i = files.size(); i > 1; --i) std::swap(files[i - 1], files[rng() % i]);

  const std::size_t per_image = d.image_elements();
  d.labels.resize(files.size());
  d.pixels.resize(files.size() * per_image);
  // Decoding is the slow part: spread it over the cores; the first fault wins.
  const unsigned workers = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  std::vector<std::string> faults(workers);
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      try {
        for (std::size_t i = w; i < files.size() && faults[w].empty(); i += workers) {
          read_scaled(files[i].first, height, width, channels, d.pixels.data() + i * per_image);
          d.labels[i] = files[i].second;
        }
      } catch (const Error& e) {
        faults[w] = e.what();
      }
    });
  for (auto& t : pool) t.join();
  for (const std::string& f : faults)
    if (!f.empty()) throw Error(f);
  return d;
}

}  // namespace cnn::runtime
