#include "runtime/model/memory.hpp"

#include <malloc.h>

namespace cnn::runtime {

void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace cnn::runtime
