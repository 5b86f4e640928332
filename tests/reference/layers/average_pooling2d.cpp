// AveragePooling2D (pooling.hpp).
#include "tests/reference/layers/pooling.hpp"

namespace cnn::reference {

void reference_forward(const AveragePooling2D& pooling, const LayerPass& p) {
  pool_forward(Pool::average, pooling_window(pooling, p), p);
}

void reference_backward(const AveragePooling2D& pooling, const LayerPass& p) {
  pool_backward(Pool::average, pooling_window(pooling, p), p);
}

}  // namespace cnn::reference
