// expect: a layer kind needs all that dsl/layer.hpp asks
// expect: layer.infer(in)
// A kind's struct without shape inference is not a layer kind (dsl/node.hpp asserts this of
// every registered kind).
#include "dsl/layer.hpp"
namespace cnn {
struct Broken {
  static constexpr std::string_view keras_class = "Broken";
  static constexpr std::string_view snake_name = "broken";
  Name name{};
  CNN_NO_PARAMETERS
};
static_assert(LayerDefinition<Broken>, "a layer kind needs all that dsl/layer.hpp asks");
}  // namespace cnn
