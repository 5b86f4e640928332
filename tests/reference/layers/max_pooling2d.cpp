// MaxPooling2D (pooling.hpp).
#include "tests/reference/layers/pooling.hpp"

namespace cnn::reference {

void reference_forward(const MaxPooling2D& pooling, const LayerPass& p) {
  pool_forward(Pool::max, pooling_window(pooling, p), p);
}

void reference_backward(const MaxPooling2D& pooling, const LayerPass& p) {
  pool_backward(Pool::max, pooling_window(pooling, p), p);
}

}  // namespace cnn::reference
