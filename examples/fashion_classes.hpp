// Fashion-MNIST's class names, in label order (its idx files carry numbers only).
#pragma once

namespace cnn::examples {

inline constexpr const char* fashion_mnist_classes =
    "T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot";

}  // namespace cnn::examples
