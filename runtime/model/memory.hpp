// How the runtime holds memory for the kernels.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace cnn::runtime {

// Kernels allocate their intermediates on every call; without this, glibc returns large
// blocks to the system on free and every training step pays page faults to get them back.
void keep_freed_memory_for_reuse();

// An allocator whose blocks start on a cache line. malloc's large blocks start 16 bytes in,
// and then every AVX-512 load of the weights straddles two lines (measured: mnist_cnn's
// batch-1 latency 0.26 ms from such a block, 0.21 ms from an aligned one).
template <class T>
struct CacheLineAligned {
  using value_type = T;
  static constexpr std::align_val_t alignment{64};
  CacheLineAligned() = default;
  template <class U>
  CacheLineAligned(const CacheLineAligned<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, alignment); }
  friend bool operator==(const CacheLineAligned&, const CacheLineAligned&) { return true; }
};

// The flat buffers the kernels read: parameters, moving statistics, gradients, batches.
using AlignedFloats = std::vector<float, CacheLineAligned<float>>;

}  // namespace cnn::runtime
