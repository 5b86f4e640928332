#include "runtime/data/image_file.hpp"

#include <png.h>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>
#include <cstdio>

#include <fmt/format.h>

#include <csetjmp>
#include <fstream>
#include <iterator>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {

std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot open", path));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// libjpeg reports errors through a callback that must not return: jump back to the reader.
struct JpegError {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_jpeg_error(j_common_ptr info) {
  auto* e = reinterpret_cast<JpegError*>(info->err);
  (*info->err->format_message)(info, e->message);
  std::longjmp(e->jump, 1);
}

void ignore_jpeg_message(j_common_ptr) {}

Image decode_jpeg(const std::string& path, const std::vector<unsigned char>& bytes, int channels,
                  int max_side) {
  jpeg_decompress_struct info{};
  JpegError error{};
  info.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = on_jpeg_error;
  error.manager.output_message = ignore_jpeg_message;
  Image image;
  std::string fault;
  // Nothing with a destructor is created between setjmp and a longjmp back to it.
  if (setjmp(error.jump) == 0) {
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    if (static_cast<int>(info.image_width) > max_side ||
        static_cast<int>(info.image_height) > max_side) {
      std::snprintf(error.message, sizeof error.message, "%ux%u pixels is larger than %d on a side",
                    info.image_width, info.image_height, max_side);
      std::longjmp(error.jump, 1);
    }
    info.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    image.height = static_cast<int>(info.output_height);
    image.width = static_cast<int>(info.output_width);
    image.channels = channels;
    image.pixels.resize(static_cast<std::size_t>(image.height) * image.width * channels);
    while (info.output_scanline < info.output_height) {
      JSAMPROW row = image.pixels.data() +
                     static_cast<std::size_t>(info.output_scanline) * image.width * channels;
      jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
  } else {
    fault = error.message;
  }
  jpeg_destroy_decompress(&info);
  if (!fault.empty()) throw Error(fmt::format("{}: bad JPEG: {}", path, fault));
  return image;
}

Image decode_png(const std::string& path, const std::vector<unsigned char>& bytes, int channels,
                 int max_side) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
    throw Error(fmt::format("{}: bad PNG: {}", path, png.message));
  if (static_cast<int>(png.width) > max_side || static_cast<int>(png.height) > max_side) {
    png_image_free(&png);
    throw Error(fmt::format("{}: {}x{} pixels is larger than {} on a side", path, png.width,
                            png.height, max_side));
  }
  png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  Image image;
  image.height = static_cast<int>(png.height);
  image.width = static_cast<int>(png.width);
  image.channels = channels;
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr))
    throw Error(fmt::format("{}: bad PNG: {}", path, png.message));
  return image;
}

}  // namespace

Image read_image(const std::string& path, int channels, int max_side) {
  if (channels != 1 && channels != 3)
    throw Error(fmt::format("{}: images are read with 1 or 3 channels, not {}", path, channels));
  const std::vector<unsigned char> bytes = read_bytes(path);
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
    return decode_jpeg(path, bytes, channels, max_side);
  if (bytes.size() >= 8 && png_sig_cmp(bytes.data(), 0, 8) == 0)
    return decode_png(path, bytes, channels, max_side);
  throw Error(fmt::format("{}: neither a JPEG nor a PNG image", path));
}

}  // namespace cnn::runtime
