// Activation: each function, on images and flat tensors.
#include "tests/codegen/layer_cases.hpp"

namespace cnn::tests {

std::vector<LayerCase> layer_cases(const Activation&) {
  std::vector<LayerCase> cases;
  for (ActivationFn f : {relu, sigmoid, tanh, softmax, linear})
    cases.push_back({std::string(activation_name(f)), {3, 3, 3, 2}, 2, [f](Tensor x) {
                       return Activation{f}(conv_before(x));
                     }});
  cases.push_back({"flat sigmoid", {3, 2, 2, 1}, 3, [](Tensor x) {
                     return Activation{sigmoid}(Dense{.units = 4}(Flatten{}(x)));
                   }});
  return cases;
}

}  // namespace cnn::tests
