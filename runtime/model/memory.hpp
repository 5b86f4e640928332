// Kernels allocate their intermediates on every call; without this, glibc returns large
// blocks to the system on free and every training step pays page faults to get them back.
#pragma once

namespace cnn::runtime {

void keep_freed_memory_for_reuse();

}  // namespace cnn::runtime
