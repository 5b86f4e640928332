// Every registered layer kind, alone: its cases (layer_cases.hpp) lowered and compiled in
// process, forward and backward against the reference, backward against finite
// differences of the generated loss.
#include <catch2/catch.hpp>

#include "tests/codegen/layer_cases.hpp"
#include "tests/reference/reference.hpp"
#include "tests/support/gradient_checks.hpp"
#include "tests/support/jit_model.hpp"

using namespace cnn;
using namespace cnn::tests;

namespace {

// The case's model: Input, the case's body, then a softmax classifier over 3 classes.
runtime::ModelInfo model_of(const LayerCase& c) {
  Graph g;
  Tensor x = c.body(Input{c.input.height, c.input.width, c.input.channels}(g));
  if (g.nodes[static_cast<std::size_t>(x.index)].output.rank == 3) x = Flatten{}(x);
  x = Dense{.units = 3, .activation = softmax}(x);
  g.finish();
  INFO("layer " << g.first_error.layer << ", error " << static_cast<int>(g.first_error.error));
  REQUIRE(g.first_error.ok());
  return model_info(c.label, g.nodes, x.index);
}

void check_case(const LayerCase& c) {
  INFO("case " << c.label << ", batch " << c.batch);
  const runtime::ModelInfo info = model_of(c);
  JitModel jit(info);
  const runtime::Weights w = random_weights(info, 17);
  const Batch b = random_batch(info, c.batch, 23);

  const std::vector<double> want_probabilities =
      reference::infer(info, w.params, w.state, b.images, b.size);
  CHECK(relative_error(jit.infer(w, b), want_probabilities) < 1e-4);

  const std::int32_t seed = 7, step = 2;
  const KernelStep got = jit.train(w, b, seed, step);
  const reference::StepResult want =
      reference::train_step(info, w.params, w.state, b.images, b.targets, b.size, seed, step);
  CHECK(std::abs(got.loss - want.loss) <= 1e-4 * std::abs(want.loss));
  CHECK(relative_error(got.new_state, want.new_state) < 1e-4);
  for (const TensorSlot& s : info.table.slots) {
    if (in_state_buffer(s.role)) continue;
    INFO("tensor " << s.name(info.nodes));
    const auto at = [&](const auto& v) {
      return std::vector<double>(v.begin() + s.offset, v.begin() + s.offset + s.size);
    };
    CHECK(relative_error(at(got.gradients), at(want.gradients), 5e-2) < 1e-4);
  }

  const auto loss = [&](const runtime::AlignedFloats& params) {
    runtime::Weights v = w;
    v.params = params;
    return static_cast<double>(jit.train(v, b, seed, step).loss);
  };
  // Every parameter of small tensors; about a thousand of a wide layer's (the reference
  // above checks all of them).
  constexpr std::size_t kSampled = 1000;
  for (const DifferenceCheck& d :
       check_differences(info, w.params, got.gradients, loss, 1, 1e-3f, kSampled)) {
    INFO("tensor " << d.tensor << ": |numeric| " << d.numeric_norm << ", error " << d.error);
    REQUIRE(d.numeric_norm > 1e-3);  // a case whose gradient vanishes would prove nothing
    CHECK(d.error < 2e-2);
  }
}

}  // namespace

#define CNN_LAYER_TEST(Type, member)                                       \
  TEST_CASE(#Type                                                          \
            " alone: forward and backward match the reference and finite " \
            "differences") {                                               \
    const std::vector<LayerCase> cases = layer_cases(Type{});              \
    REQUIRE(!cases.empty());                                               \
    for (const LayerCase& c : cases) check_case(c);                        \
  }
CNN_LAYER_KINDS(CNN_LAYER_TEST)
#undef CNN_LAYER_TEST

TEST_CASE("the finite-difference check fails a zero gradient and a half gradient") {
  const LayerCase c{"dense", {3, 2, 2, 1}, 2, [](Tensor x) { return Flatten{}(x); }};
  const runtime::ModelInfo info = model_of(c);
  JitModel jit(info);
  const runtime::Weights w = random_weights(info, 3);
  const Batch b = random_batch(info, c.batch, 4);
  const KernelStep got = jit.train(w, b, 1, 1);
  const auto loss = [&](const runtime::AlignedFloats& params) {
    runtime::Weights v = w;
    v.params = params;
    return static_cast<double>(jit.train(v, b, 1, 1).loss);
  };
  std::vector<float> zero(got.gradients.size(), 0.0f), half = got.gradients;
  for (float& g : half) g *= 0.5f;
  for (const DifferenceCheck& d : check_differences(info, w.params, got.gradients, loss))
    CHECK(d.error < 2e-2);
  for (const DifferenceCheck& d : check_differences(info, w.params, zero, loss))
    CHECK(d.error == Approx(1.0).epsilon(1e-3));
  for (const DifferenceCheck& d : check_differences(info, w.params, half, loss))
    CHECK(d.error == Approx(0.5).epsilon(2e-2));
}
