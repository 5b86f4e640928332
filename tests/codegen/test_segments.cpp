// A model built in segments (add_cnn_model SEGMENTS) computes what the same model built as
// one pipeline computes: the same probabilities, loss, hits, gradients and moving statistics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "dsl/segments.hpp"
#include "examples/small_resnet.hpp"
#include "small_resnet_inference.h"
#include "small_resnet_segments_inference.h"
#include "small_resnet_segments_train_step.h"
#include "small_resnet_train_step.h"
#include "tests/support/kernel_harness.hpp"
#include "tests/support/tiny_models.hpp"
#include "tiny_augment_inference.h"
#include "tiny_augment_segments_inference.h"
#include "tiny_augment_segments_train_step.h"
#include "tiny_augment_train_step.h"
#include "tiny_frozen_base_inference.h"
#include "tiny_frozen_base_segments_inference.h"
#include "tiny_frozen_base_segments_train_step.h"
#include "tiny_frozen_base_train_step.h"
#include "tiny_norm_inference.h"
#include "tiny_norm_segments_inference.h"
#include "tiny_norm_segments_train_step.h"
#include "tiny_norm_train_step.h"

using namespace cnn;
using namespace cnn::tests;

namespace {

struct BuiltTwice {
  runtime::ModelInfo info;
  runtime::ModelKernels whole, segmented;
};

const std::vector<BuiltTwice>& models() {
  static const std::vector<BuiltTwice> built{
      {runtime::ModelInfo::of(examples::small_resnet),
       {small_resnet_inference, small_resnet_train_step},
       {small_resnet_segments_inference, small_resnet_segments_train_step}},
      {runtime::ModelInfo::of(tiny_norm),
       {tiny_norm_inference, tiny_norm_train_step},
       {tiny_norm_segments_inference, tiny_norm_segments_train_step}},
      {runtime::ModelInfo::of(tiny_augment),
       {tiny_augment_inference, tiny_augment_train_step},
       {tiny_augment_segments_inference, tiny_augment_segments_train_step}},
      {runtime::ModelInfo::of(tiny_frozen_base),
       {tiny_frozen_base_inference, tiny_frozen_base_train_step},
       {tiny_frozen_base_segments_inference, tiny_frozen_base_segments_train_step}},
  };
  return built;
}

// The largest difference relative to the largest magnitude: the pipelines sum in other orders.
double relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double diff = 0, scale = 1e-12;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::abs(static_cast<double>(a[i]) - b[i]));
    scale = std::max(scale, std::abs(static_cast<double>(a[i])));
  }
  return diff / scale;
}

}  // namespace

TEST_CASE("the segmented small_resnet has a cut that two tensors cross") {
  const runtime::ModelInfo info = runtime::ModelInfo::of(examples::small_resnet);
  std::size_t widest = 0;
  for (const Segment& s : segments_of(info.nodes, info.output, 6))
    widest = std::max(widest, s.out.nodes.size());
  CHECK(widest == 2);  // so that the tests below pack and unpack several tensors
}

TEST_CASE("a model in segments infers what the model in one pipeline infers") {
  for (const BuiltTwice& m : models()) {
    INFO("model " << m.info.name);
    const runtime::Weights w = random_weights(m.info, 5);
    const Batch b = random_batch(m.info, 6, 17);
    const std::vector<float> whole = run_inference(m.info, m.whole, w, b);
    const std::vector<float> segmented = run_inference(m.info, m.segmented, w, b);
    CHECK(relative_difference(whole, segmented) < 1e-5);
  }
}

TEST_CASE("a model in segments takes the training step the model in one pipeline takes") {
  for (const BuiltTwice& m : models()) {
    INFO("model " << m.info.name);
    const runtime::Weights w = random_weights(m.info, 9);
    const Batch b = random_batch(m.info, 5, 23);
    for (const std::int32_t step : {0, 7}) {  // other dropout masks and augmentations
      INFO("step " << step);
      const KernelStep whole = run_train_step(m.info, m.whole, w, b, 31, step, 3);
      const KernelStep segmented = run_train_step(m.info, m.segmented, w, b, 31, step, 3);
      CHECK(std::abs(whole.loss - segmented.loss) < 1e-5 * std::max(1.0f, whole.loss));
      CHECK(whole.correct == segmented.correct);
      // A gradient that did not reach a tensor would differ by its whole size.
      CHECK(relative_difference(whole.gradients, segmented.gradients) < 1e-4);
      CHECK(relative_difference(whole.new_state, segmented.new_state) < 1e-5);
    }
  }
}
