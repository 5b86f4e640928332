// The generated training steps against the independent reference (within 1e-4 relative)
// and against central finite differences of the generated loss, for every tiny model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <span>

#include "examples/small_inception.hpp"
#include "examples/small_resnet.hpp"
#include "small_inception_inference.h"
#include "small_inception_train_step.h"
#include "small_resnet_inference.h"
#include "small_resnet_train_step.h"
#include "tests/reference/reference.hpp"
#include "tests/support/gradient_checks.hpp"
#include "tests/support/kernel_harness.hpp"
#include "tests/support/tiny_models.hpp"
#include "tiny_augment_inference.h"
#include "tiny_augment_train_step.h"
#include "tiny_branches_inference.h"
#include "tiny_branches_train_step.h"
#include "tiny_conv_inference.h"
#include "tiny_conv_train_step.h"
#include "tiny_frozen_base_inference.h"
#include "tiny_frozen_base_train_step.h"
#include "tiny_frozen_inference.h"
#include "tiny_frozen_train_step.h"
#include "tiny_norm_inference.h"
#include "tiny_norm_train_step.h"
#include "tiny_ties_inference.h"
#include "tiny_ties_train_step.h"

using namespace cnn;
using namespace cnn::tests;

namespace {

struct TinyModel {
  runtime::ModelInfo info;
  runtime::ModelKernels kernels;
};

const std::vector<TinyModel>& tiny_models() {
  static const std::vector<TinyModel> models{
      {runtime::ModelInfo::of(tiny_conv), {tiny_conv_inference, tiny_conv_train_step}},
      {runtime::ModelInfo::of(tiny_norm), {tiny_norm_inference, tiny_norm_train_step}},
      {runtime::ModelInfo::of(tiny_branches), {tiny_branches_inference, tiny_branches_train_step}},
      {runtime::ModelInfo::of(tiny_augment), {tiny_augment_inference, tiny_augment_train_step}},
      {runtime::ModelInfo::of(tiny_frozen), {tiny_frozen_inference, tiny_frozen_train_step}},
      {runtime::ModelInfo::of(tiny_frozen_base),
       {tiny_frozen_base_inference, tiny_frozen_base_train_step}},
  };
  return models;
}

// The model language's own branching examples, at full size.
const std::vector<TinyModel>& branching_examples() {
  static const std::vector<TinyModel> models{
      {runtime::ModelInfo::of(examples::small_resnet),
       {small_resnet_inference, small_resnet_train_step}},
      {runtime::ModelInfo::of(examples::small_inception),
       {small_inception_inference, small_inception_train_step}},
  };
  return models;
}

// Central differences of the generated loss against the generated gradient, tensor by
// tensor, for every `stride`-th parameter.
// With `refine`, a tensor that misses is checked again against the reference's loss (an
// independent forward pass in double precision) with a step of 1e-4: deeper models put ReLU
// kinks within the 1e-3 that float32's noise needs (small_resnet's conv2d_1 bias has one,
// a 5% error even in double), and the reference, slow, is run only for those.
void check_finite_differences(const TinyModel& m, const runtime::Weights& w, const Batch& b,
                              std::size_t stride, bool refine = false) {
  const std::int32_t seed = 99, step = 1;
  const KernelStep at = run_train_step(m.info, m.kernels, w, b, seed, step);
  const auto loss = [&](const runtime::AlignedFloats& params) {
    runtime::Weights v = w;
    v.params = params;
    return static_cast<double>(run_train_step(m.info, m.kernels, v, b, seed, step).loss);
  };
  std::vector<DifferenceCheck> checks =
      check_differences(m.info, w.params, at.gradients, loss, stride);
  if (refine) {
    const auto exact_loss = [&](const runtime::AlignedFloats& params) {
      return reference::train_step(m.info, params, w.state, b.images, b.targets, b.size, seed, step)
          .loss;
    };
    for (DifferenceCheck& d : checks)
      if (d.numeric_norm >= 1e-3 && d.error >= 5e-2)
        d = check_differences(m.info, w.params, at.gradients, exact_loss, stride, 1e-4f, 0,
                              d.tensor)
                .at(0);
  }
  for (const DifferenceCheck& d : checks) {
    INFO("tensor " << d.tensor << ": |numeric| " << d.numeric_norm << ", |generated| "
                   << d.generated_norm << ", error " << d.error);
    if (d.numeric_norm < 1e-3) {
      // Within float32's noise of these differences: a gradient that truly vanishes (a bias
      // right before BatchNormalization). The generated one must vanish too.
      CHECK(d.generated_norm < 1e-3);
      continue;
    }
    // Relative to the numeric norm: a zero gradient is an error of 1, whatever its scale.
    // Looser than the per-layer tests: with more layers, more ReLU and max-pooling kinks
    // fall within a step of h.
    CHECK(d.error < 5e-2);
  }
}

}  // namespace

TEST_CASE("every tiny model's training step matches the reference within 1e-4") {
  for (const TinyModel& m : tiny_models()) {
    INFO("model " << m.info.name);
    const runtime::Weights w = random_weights(m.info, 7);
    const Batch b = random_batch(m.info, 5, 11);
    const KernelStep got = run_train_step(m.info, m.kernels, w, b, 1234, 3);
    const reference::StepResult want =
        reference::train_step(m.info, w.params, w.state, b.images, b.targets, b.size, 1234, 3);
    CHECK(std::abs(got.loss - want.loss) <= 1e-4 * std::abs(want.loss));
    CHECK(got.correct == want.correct);
    CHECK(relative_error(got.gradients, want.gradients) < 1e-4);
    CHECK(relative_error(got.new_state, want.new_state) < 1e-4);
    // Tensor by tensor, so that a small tensor's error cannot hide in a large one's norm.
    for (const TensorSlot& s : m.info.table.slots) {
      if (in_state_buffer(s.role)) continue;
      INFO("tensor " << s.name(m.info.nodes));
      const auto a = std::vector<float>(got.gradients.begin() + s.offset,
                                        got.gradients.begin() + s.offset + s.size);
      const auto r = std::vector<double>(want.gradients.begin() + s.offset,
                                         want.gradients.begin() + s.offset + s.size);
      // Where the true gradient is zero, float32 cancellation leaves a few 1e-6: an absolute
      // 5e-6 there, far below every real gradient of these models (1e-2 to 1).
      CHECK(relative_error(a, r, 5e-2) < 1e-4);
    }
  }
}

TEST_CASE("every tiny model's inference matches the reference within 1e-4") {
  for (const TinyModel& m : tiny_models()) {
    INFO("model " << m.info.name);
    const runtime::Weights w = random_weights(m.info, 3);
    const Batch b = random_batch(m.info, 4, 5);
    const std::vector<float> got = run_inference(m.info, m.kernels, w, b);
    const std::vector<double> want = reference::infer(m.info, w.params, w.state, b.images, b.size);
    CHECK(relative_error(got, want) < 1e-4);
    for (int n = 0; n < b.size; ++n) {
      double total = 0;
      for (int k = 0; k < m.info.classes(); ++k)
        total += got[std::size_t(n * m.info.classes() + k)];
      CHECK(total == Approx(1.0).epsilon(1e-5));
    }
  }
}

TEST_CASE("generated gradients match central finite differences of the generated loss") {
  for (const TinyModel& m : tiny_models()) {
    INFO("model " << m.info.name);
    check_finite_differences(m, random_weights(m.info, 21), random_batch(m.info, 4, 22), 1);
  }
}

TEST_CASE("max pooling sends a window's gradient to one of its tied inputs, not to each") {
  const runtime::ModelInfo info = runtime::ModelInfo::of(tiny_ties);
  const runtime::ModelKernels kernels{tiny_ties_inference, tiny_ties_train_step};
  runtime::Weights w = random_weights(info, 5);
  const TensorSlot& conv_kernel = *info.table.find(1, TensorRole::kernel);
  const TensorSlot& conv_bias = *info.table.find(1, TensorRole::bias);
  const TensorSlot& dense_kernel = *info.table.find(4, TensorRole::kernel);
  const TensorSlot& dense_bias = *info.table.find(4, TensorRole::bias);
  w.params[conv_kernel.offset] = 1.0f;  // the 1x1 convolution passes the image through
  w.params[conv_bias.offset] = 0.0f;
  Batch b = random_batch(info, 1, 3);
  std::fill(b.images.begin(), b.images.end(), 1.0f);  // every window is a four-way tie

  const KernelStep step = run_train_step(info, kernels, w, b, 0, 0);
  // With one sample, the dense bias gradient is the logits gradient; each pooled unit's
  // gradient is the dense kernel's row times it, and must reach the image exactly once.
  double pooled_sum = 0;
  for (int i = 0; i < 4; ++i)
    for (int u = 0; u < 2; ++u)
      pooled_sum +=
          w.params[dense_kernel.offset + i * 2 + u] * step.gradients[dense_bias.offset + u];
  CHECK(step.gradients[conv_bias.offset] == Approx(pooled_sum).margin(1e-6));
  CHECK(step.gradients[conv_kernel.offset] == Approx(pooled_sum).margin(1e-6));
  REQUIRE(std::abs(pooled_sum) > 1e-3);  // a vanishing gradient would prove nothing
}

TEST_CASE("the branching example models match the reference and finite differences") {
  for (const TinyModel& m : branching_examples()) {
    INFO("model " << m.info.name);
    const runtime::Weights w = random_weights(m.info, 31);
    const Batch b = random_batch(m.info, 2, 32);
    const KernelStep got = run_train_step(m.info, m.kernels, w, b, 5, 2);
    const reference::StepResult want =
        reference::train_step(m.info, w.params, w.state, b.images, b.targets, b.size, 5, 2);
    CHECK(std::abs(got.loss - want.loss) <= 1e-4 * std::abs(want.loss));
    CHECK(relative_error(got.gradients, want.gradients) < 1e-4);
    CHECK(relative_error(run_inference(m.info, m.kernels, w, b),
                         reference::infer(m.info, w.params, w.state, b.images, b.size)) < 1e-4);
    // Every 97th parameter: all layers, at a bearable cost.
    check_finite_differences(m, w, b, 97, /*refine=*/true);
  }
}

TEST_CASE("augmentation changes training inputs, per sample and per step, never inference") {
  const runtime::ModelInfo info = runtime::ModelInfo::of(tiny_augment);
  const runtime::ModelKernels k{tiny_augment_inference, tiny_augment_train_step};
  const runtime::Weights w = random_weights(info, 2);
  const Batch b = random_batch(info, 3, 4);
  // The same step draws the same transforms; another step draws others.
  CHECK(run_train_step(info, k, w, b, 1, 0).loss == run_train_step(info, k, w, b, 1, 0).loss);
  CHECK(run_train_step(info, k, w, b, 1, 0).loss != run_train_step(info, k, w, b, 1, 1).loss);
  // Inference sees the images as they are: the reference without augmentation agrees.
  CHECK(relative_error(run_inference(info, k, w, b),
                       reference::infer(info, w.params, w.state, b.images, b.size)) < 1e-4);
}

TEST_CASE("a batch computed in parts, each told where it starts, gives the whole batch's step") {
  // What data-parallel ranks do: dropout (tiny_conv) and augmentation (tiny_augment) draw
  // for each sample what the whole batch would have drawn for it.
  const std::vector<std::pair<runtime::ModelInfo, runtime::ModelKernels>> models{
      {runtime::ModelInfo::of(tiny_conv), {tiny_conv_inference, tiny_conv_train_step}},
      {runtime::ModelInfo::of(tiny_augment), {tiny_augment_inference, tiny_augment_train_step}}};
  for (const auto& [info, k] : models) {
    INFO("model " << info.name);
    const runtime::Weights w = random_weights(info, 8);
    const Batch b = random_batch(info, 5, 9);
    const KernelStep whole = run_train_step(info, k, w, b, 3, 4);
    const KernelStep head = run_train_step(info, k, w, slice(info, b, 0, 2), 3, 4, 0);
    const KernelStep tail = run_train_step(info, k, w, slice(info, b, 2, 5), 3, 4, 2);
    std::vector<float> pooled(whole.gradients.size());
    for (std::size_t i = 0; i < pooled.size(); ++i)
      pooled[i] = (2 * head.gradients[i] + 3 * tail.gradients[i]) / 5;
    CHECK(relative_error(pooled, whole.gradients) < 1e-5);
    CHECK(std::abs((2 * head.loss + 3 * tail.loss) / 5 - whole.loss) <=
          1e-5 * std::abs(whole.loss));
    CHECK(head.correct + tail.correct == whole.correct);
    // Told nothing, the tail would draw the head's masks and transforms.
    const KernelStep misplaced = run_train_step(info, k, w, slice(info, b, 2, 5), 3, 4, 0);
    CHECK(relative_error(misplaced.gradients, tail.gradients) > 1e-3);
  }
}

TEST_CASE("frozen layers get no gradient, and a frozen BatchNormalization keeps its statistics") {
  for (const TinyModel& m : {tiny_models()[4], tiny_models()[5]}) {
    INFO("model " << m.info.name);
    const runtime::Weights w = random_weights(m.info, 3);
    const Batch b = random_batch(m.info, 6, 5);
    const KernelStep got = run_train_step(m.info, m.kernels, w, b, 8, 2);
    int frozen_tensors = 0, moving_tensors = 0;
    for (const TensorSlot& s : m.info.table.slots) {
      const Node& node = m.info.nodes[static_cast<std::size_t>(s.node)];
      const auto at = [&](std::span<const float> v) {
        return v.subspan(static_cast<std::size_t>(s.offset), static_cast<std::size_t>(s.size));
      };
      INFO("tensor " << s.name(m.info.nodes));
      double largest = 0;
      if (in_state_buffer(s.role)) {
        for (std::size_t i = 0; i < at(got.new_state).size(); ++i)
          largest = std::max(largest, std::abs(double(at(got.new_state)[i]) - at(w.state)[i]));
      } else {
        for (float g : at(got.gradients)) largest = std::max(largest, std::abs(double(g)));
      }
      if (node.trainable) {
        moving_tensors += largest > 0;  // learning layers move, and their statistics
      } else {
        ++frozen_tensors;
        CHECK(largest == 0);
      }
    }
    CHECK(frozen_tensors >= 4);
    CHECK(moving_tensors >= 4);
  }
}
