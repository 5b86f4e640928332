// A model built in segments (add_cnn_model SEGMENTS) computes what the same model built as
// one pipeline computes: the same probabilities, loss, hits, gradients and moving statistics;
// and a trainer that computes its frozen base once trains it as from the images.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "dsl/segments.hpp"
#include "examples/small_resnet.hpp"
#include "runtime/model/segmented.hpp"
#include "runtime/train/trainer.hpp"
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

TEST_CASE("a frozen base computed once trains as it does from the images, epoch after epoch") {
  const runtime::ModelInfo info = runtime::ModelInfo::of(tiny_frozen_base);
  const runtime::ModelKernels kernels{tiny_frozen_base_segments_inference,
                                      tiny_frozen_base_segments_train_step,
                                      &tiny_frozen_base_segments_segmented()};
  // tiny_norm's first five layers frozen: the base ends at the first layer that learns, and
  // the model is cut there.
  REQUIRE(kernels.segments->frozen_base_segments() == 1);
  CHECK(kernels.segments->segments[1].begin == frozen_base_end(info.nodes));
  CHECK(kernels.segments->frozen_base_features() ==
        kernels.segments->segments[1].in.elements_per_sample);

  auto data_set = [&](int samples, int salt) {
    runtime::Dataset d;
    const Shape s = info.input_shape();
    d.height = s.height, d.width = s.width, d.channels = s.channels, d.classes = info.classes();
    for (int i = 0; i < samples; ++i) d.labels.push_back(static_cast<std::uint8_t>(i % d.classes));
    for (std::size_t i = 0; i < static_cast<std::size_t>(samples) * d.image_elements(); ++i)
      d.pixels.push_back(static_cast<float>((i * 7 + static_cast<std::size_t>(salt)) % 13) / 13.0f);
    return d;
  };
  const runtime::Dataset train = data_set(36, 1), validation = data_set(10, 5);
  struct Run {
    runtime::Weights weights;
    std::vector<runtime::EpochLog> history;
    std::string printed;
  };
  auto fit = [&](bool cache) {
    runtime::Trainer trainer(
        info, kernels, random_weights(info, 4),
        runtime::Optimizer(runtime::OptimizerConfig::keras_default("adam"), info));
    std::FILE* out = std::tmpfile();
    REQUIRE(out != nullptr);
    runtime::Progress progress(out, false);
    runtime::FitOptions options;
    options.epochs = 3;
    options.batch_size = 8;
    options.cache_frozen_base = cache;
    trainer.fit(train, &validation, options, progress);
    Run run{trainer.weights(), trainer.history(), {}};
    std::rewind(out);
    for (int c = std::fgetc(out); c != EOF; c = std::fgetc(out)) run.printed.push_back(char(c));
    std::fclose(out);
    return run;
  };
  const Run cached = fit(true), recomputed = fit(false);
  CHECK(cached.printed.find("computed once") != std::string::npos);
  CHECK(recomputed.printed.find("computed once") == std::string::npos);
  // The same steps from the same values: the same weights and logs, to the bit.
  CHECK(cached.weights.params == recomputed.weights.params);
  CHECK(cached.weights.state == recomputed.weights.state);
  REQUIRE(cached.history.size() == 3);
  REQUIRE(recomputed.history.size() == 3);
  for (std::size_t e = 0; e < 3; ++e) {
    INFO("epoch " << e + 1);
    CHECK(cached.history[e].loss == recomputed.history[e].loss);
    CHECK(cached.history[e].val_loss == recomputed.history[e].val_loss);
    CHECK(cached.history[e].val_accuracy == recomputed.history[e].val_accuracy);
  }
  CHECK(cached.history[2].loss != cached.history[0].loss);  // it trained
}
