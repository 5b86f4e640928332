// A layer or model name that can live in a constant expression and in a template argument,
// so that a compile error can print it: `cnn::Name{"conv2d_1"}`.
#pragma once

#include <cstddef>
#include <string_view>

namespace cnn {

inline constexpr std::size_t kMaxNameLength = 31;

struct Name {
  char text[kMaxNameLength + 1]{};

  constexpr Name() = default;
  template <std::size_t N>
  consteval Name(const char (&literal)[N]) {  // NOLINT: implicit, reads like Keras's name="..."
    static_assert(N - 1 <= kMaxNameLength, "a layer or model name has at most 31 characters");
    for (std::size_t i = 0; i + 1 < N; ++i) text[i] = literal[i];
  }

  constexpr std::size_t size() const {
    std::size_t n = 0;
    while (n < kMaxNameLength && text[n] != '\0') ++n;
    return n;
  }
  constexpr bool empty() const { return text[0] == '\0'; }
  constexpr std::string_view view() const { return {text, size()}; }
  friend constexpr bool operator==(const Name& a, const Name& b) { return a.view() == b.view(); }

  // This name followed by `suffix`, or by a number in decimal (cut at the length limit), to
  // spell names as Keras's applications do: Name{"conv2_block"} + 1 + "_0_conv".
  constexpr Name operator+(std::string_view suffix) const {
    Name n = *this;
    std::size_t i = n.size();
    for (char c : suffix)
      if (i < kMaxNameLength) n.text[i++] = c;
    return n;
  }
  constexpr Name operator+(int number) const {
    char digits[12]{};
    int d = 0;
    for (int v = number; v > 0 || d == 0; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
    char text_[12]{};
    for (int k = 0; k < d; ++k) text_[k] = digits[d - 1 - k];
    return *this + std::string_view(text_, static_cast<std::size_t>(d));
  }

  // `base` followed by `_k` when k > 0, as Keras numbers layers: conv2d, conv2d_1, ...
  static constexpr Name numbered(std::string_view base, int k) {
    Name n;
    std::size_t i = 0;
    for (char c : base)
      if (i < kMaxNameLength) n.text[i++] = c;
    if (k > 0 && i < kMaxNameLength) {
      n.text[i++] = '_';
      char digits[12]{};
      int d = 0;
      for (int v = k; v > 0; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
      while (d > 0 && i < kMaxNameLength) n.text[i++] = digits[--d];
    }
    return n;
  }
};

}  // namespace cnn
