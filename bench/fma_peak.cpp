// The machine's single-precision FMA peak, measured: each thread runs independent chains of
// fused multiply-adds, enough of them to keep both FMA ports busy through the FMA latency,
// in the widest vectors the CPU has (AVX-512, else AVX2). The ceiling every GFLOP/s figure
// of the benchmarks is a fraction of.
// Usage: fma_peak THREADS [avx2]   (avx2: AVX2's peak on an AVX-512 CPU); prints one JSON object.
#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr long kIterations = 50'000'000;

// 16 chains of 16 lanes: 512 flops an iteration, in 18 of the 32 vector registers.
__attribute__((target("avx512f"))) float chains_avx512(float seed) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(seed + static_cast<float>(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < kIterations; ++it) {
#pragma GCC unroll 16  // the chains in registers, not in memory
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < 16; ++i) sum = _mm512_add_ps(sum, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, sum);
  float total = 0;
  for (float x : out) total += x;
  return total;
}

// 12 chains of 8 lanes (192 flops an iteration): 14 of the 16 registers.
__attribute__((target("avx2,fma"))) float chains_avx2(float seed) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(seed + static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < kIterations; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  __m256 sum = acc[0];
  for (int i = 1; i < 12; ++i) sum = _mm256_add_ps(sum, acc[i]);
  float lanes[8];
  _mm256_storeu_ps(lanes, sum);
  float total = 0;
  for (float x : lanes) total += x;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  if (threads < 1) {
    fmt::print(stderr, "usage: fma_peak THREADS [avx2]\n");
    return 2;
  }
  const bool avx512 =
      __builtin_cpu_supports("avx512f") && !(argc > 2 && std::string(argv[2]) == "avx2");
  if (!avx512 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) {
    fmt::print(stderr, "fma_peak: this CPU has neither AVX-512 nor AVX2 with FMA\n");
    return 1;
  }
  const double flops_per_iteration = avx512 ? 16 * 16 * 2 : 12 * 8 * 2;
  // The best of three, all threads at once: a moment's interference is not the machine.
  double best = 0;
  for (int run = 0; run < 3; ++run) {
    std::vector<float> sums(static_cast<std::size_t>(threads));
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        sums[static_cast<std::size_t>(t)] =
            avx512 ? chains_avx512(static_cast<float>(t)) : chains_avx2(static_cast<float>(t));
      });
    for (auto& p : pool) p.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, flops_per_iteration * kIterations * threads / seconds / 1e9);
    if (sums[0] == 0.123f) fmt::print(stderr, "\n");  // keeps the sums, so the loops stay
  }
  fmt::print("{{\"impl\": \"fma_peak\", \"isa\": \"{}\", \"threads\": {}, \"gflops\": {:.1f}}}\n",
             avx512 ? "avx512" : "avx2", threads, best);
  return 0;
}
