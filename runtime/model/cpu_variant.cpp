#include "runtime/model/cpu_variant.hpp"

#include <HalideRuntime.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
constexpr int kWords = (halide_target_feature_end + 63) / 64;
using Features = std::array<std::uint64_t, kWords>;

bool has(const std::uint64_t* features, halide_target_feature_t f) {
  return (features[f / 64] >> (f % 64)) & 1u;
}

// The variant a target's features ask for: those of CNN_CPU_TARGETS.
CpuVariant variant_of(const std::uint64_t* features) {
  if (has(features, halide_target_feature_avx512)) return CpuVariant::avx512;
  if (has(features, halide_target_feature_avx2)) return CpuVariant::avx2;
  return CpuVariant::x86_64;
}

CpuVariant cap = CpuVariant::avx512;
// The most capable variant a wrapper has run; -1 until one asks.
std::atomic<int> dispatched{-1};

// Halide's wrappers ask this of each variant in turn, the most capable first, and run the
// last (x86-64) unasked when the others are refused.
int capped_can_use(int count, const std::uint64_t* features) {
  const CpuVariant variant = variant_of(features);
  const int can = count >= kWords && variant <= cap
                      ? halide_default_can_use_target_features(count, features)
                      : 0;
  const int ran = static_cast<int>(can != 0 ? variant : CpuVariant::x86_64);
  int seen = dispatched.load();
  while (seen < ran && !dispatched.compare_exchange_weak(seen, ran)) {
  }
  return can;
}

// A variant's target features, as CNN_CPU_TARGETS spells them.
Features features_of(CpuVariant variant) {
  Features words{};
  auto set = [&](halide_target_feature_t f) { words[f / 64] |= std::uint64_t{1} << (f % 64); };
  if (variant >= CpuVariant::avx2)
    for (auto f :
         {halide_target_feature_sse41, halide_target_feature_avx, halide_target_feature_avx2,
          halide_target_feature_fma, halide_target_feature_f16c})
      set(f);
  if (variant == CpuVariant::avx512)
    for (auto f : {halide_target_feature_avx512, halide_target_feature_avx512_skylake}) set(f);
  return words;
}

CpuVariant best_for_this_cpu() {
  for (CpuVariant v : {CpuVariant::avx512, CpuVariant::avx2})
    if (halide_default_can_use_target_features(kWords, features_of(v).data()) != 0) return v;
  return CpuVariant::x86_64;
}
}  // namespace

std::string_view display_name(CpuVariant variant) {
  switch (variant) {
    case CpuVariant::avx512: return "AVX-512";
    case CpuVariant::avx2: return "AVX2+FMA";
    case CpuVariant::x86_64: return "x86-64";
  }
  return "";
}

std::string_view isa_name(CpuVariant variant) {
  switch (variant) {
    case CpuVariant::avx512: return "avx512";
    case CpuVariant::avx2: return "avx2";
    case CpuVariant::x86_64: return "x86-64";
  }
  return "";
}

CpuVariant select_cpu_variant() {
  const char* env = std::getenv("CNN_MAX_CPU_ISA");
  const std::string wanted = env == nullptr ? "" : env;
  cap = CpuVariant::avx512;
  if (!wanted.empty()) {
    bool known = false;
    for (CpuVariant v : {CpuVariant::avx512, CpuVariant::avx2, CpuVariant::x86_64})
      if (wanted == isa_name(v)) {
        cap = v;
        known = true;
      }
    if (!known)
      throw Error(fmt::format("CNN_MAX_CPU_ISA={}: choose avx512, avx2 or x86-64", wanted));
  }
  halide_set_custom_can_use_target_features(capped_can_use);
  return std::min(cap, best_for_this_cpu());
}

std::optional<CpuVariant> dispatched_variant() {
  const int ran = dispatched.load();
  if (ran < 0) return std::nullopt;
  return static_cast<CpuVariant>(ran);
}

}  // namespace cnn::runtime
