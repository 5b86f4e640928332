// Which of the kernels' x86-64 variants runs. Every pipeline is generated for several targets
// (CNN_CPU_TARGETS in CMakeLists.txt: AVX-512, AVX2 with FMA, and any x86-64), and Halide's
// wrapper runs the first one the CPU can. CNN_MAX_CPU_ISA caps the choice, as oneDNN's
// ONEDNN_MAX_CPU_ISA does: to compare the variants, or to run as a smaller CPU would.
#pragma once

#include <optional>
#include <string_view>

namespace cnn::runtime {

enum class CpuVariant { x86_64, avx2, avx512 };

// Reads CNN_MAX_CPU_ISA (avx512, avx2 or x86-64; unset or empty: no cap), installs the cap
// for every kernel called afterwards and returns the variant that runs: the best the CPU
// can run, within the cap. Throws Error for another value.
CpuVariant select_cpu_variant();

// The variant the kernels called so far ran, as Halide's wrappers chose it; none when no
// wrapper chose (no kernel ran yet, or the build has one target: CNN_CPU_TARGETS=host).
std::optional<CpuVariant> dispatched_variant();

// "AVX-512", "AVX2+FMA" or "x86-64"; and the value CNN_MAX_CPU_ISA takes for it.
std::string_view display_name(CpuVariant variant);
std::string_view isa_name(CpuVariant variant);

}  // namespace cnn::runtime
