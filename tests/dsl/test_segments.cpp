// Cutting a model into segments (dsl/segments.hpp): the segments tile the model, each
// boundary holds exactly what crosses its cut, and each segment keeps for its backward pass
// the costly outputs that pass reads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "dsl/segments.hpp"
#include "examples/inception_v3.hpp"
#include "examples/inception_v3_finetune.hpp"
#include "examples/resnet50.hpp"
#include "examples/small_resnet.hpp"
#include "tests/support/tiny_models.hpp"

using namespace cnn;

namespace {

// Its tensors one after another in node order.
void check_laid_out(const Boundary& b, const std::vector<Node>& nodes) {
  REQUIRE(b.offsets.size() == b.nodes.size());
  long long offset = 0;
  for (std::size_t t = 0; t < b.nodes.size(); ++t) {
    CHECK(b.offsets[t] == offset);
    offset += nodes[static_cast<std::size_t>(b.nodes[t])].output.elements();
  }
  CHECK(b.elements_per_sample == offset);
}

template <std::size_t N>
void check_segments(const ModelGraph<N>& model, int count) {
  const std::vector<Node> nodes(model.nodes.begin(), model.nodes.end());
  const std::vector<Segment> segments = segments_of(nodes, model.output, count);
  REQUIRE(segments.size() == static_cast<std::size_t>(count));
  CHECK(segments.front().begin == 0);
  CHECK(segments.back().end == model.output + 1);
  CHECK(segments.back().out.nodes == std::vector<int>{model.output});
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const Segment& s = segments[k];
    INFO("segment " << k << " [" << s.begin << ", " << s.end << ")");
    CHECK(s.end - s.begin >= 2);
    if (k > 0) CHECK(s.begin == segments[k - 1].end);
    if (k + 1 == segments.size()) continue;
    // What crosses the cut after it: produced before, read after.
    std::set<int> crossing;
    for (int i = s.end; i <= model.output; ++i)
      for (int j = 0; j < nodes[static_cast<std::size_t>(i)].input_count; ++j)
        if (nodes[static_cast<std::size_t>(i)].input(j) < s.end)
          crossing.insert(nodes[static_cast<std::size_t>(i)].input(j));
    CHECK(std::vector<int>(crossing.begin(), crossing.end()) == s.out.nodes);
    check_laid_out(s.out, nodes);
  }
}

}  // namespace

TEST_CASE("segments tile a model and their boundaries hold what crosses each cut") {
  for (int count : {1, 2, 3, 5}) {
    INFO(count << " segments");
    check_segments(examples::small_resnet, count);
  }
  check_segments(examples::inception_v3_imagenet, 11);
}

TEST_CASE("a skip connection crosses every cut between its ends") {
  const std::vector<Node> nodes(examples::small_resnet.nodes.begin(),
                                examples::small_resnet.nodes.end());
  bool skip_seen = false;
  for (int count = 2; count <= 6; ++count)
    for (const Segment& s : segments_of(nodes, examples::small_resnet.output, count))
      skip_seen = skip_seen || s.out.nodes.size() > 1;
  CHECK(skip_seen);
}

TEST_CASE("segments are as even as the layers allow, cut where the fewest tensors cross") {
  const auto& m = examples::inception_v3_imagenet;
  const std::vector<Node> nodes(m.nodes.begin(), m.nodes.end());
  const int size = m.output + 1;
  for (int count : {4, 11, 16}) {
    INFO(count << " segments of " << size << " layers");
    int longest = 0;
    for (const Segment& s : segments_of(nodes, m.output, count))
      longest = std::max(longest, s.end - s.begin);
    CHECK(longest == (size + count - 1) / count);
  }
  // small_resnet's 13 layers in two: 6 + 7 or 7 + 6; one of the two cuts has two tensors
  // crossing it, the other one.
  const std::vector<Node> resnet(examples::small_resnet.nodes.begin(),
                                 examples::small_resnet.nodes.end());
  const std::vector<Segment> halves = segments_of(resnet, examples::small_resnet.output, 2);
  CHECK(boundary_at(resnet, examples::small_resnet.output, 6).nodes.size() +
            boundary_at(resnet, examples::small_resnet.output, 7).nodes.size() ==
        3);
  CHECK(halves[0].out.nodes.size() == 1);
}

TEST_CASE("a model is not cut into more segments than it has pairs of layers") {
  const std::vector<Node> nodes(examples::small_resnet.nodes.begin(),
                                examples::small_resnet.nodes.end());
  CHECK_THROWS_WITH(segments_of(nodes, examples::small_resnet.output, 0),
                    Catch::Contains("segments of two or more layers"));
  CHECK_THROWS(segments_of(nodes, examples::small_resnet.output, static_cast<int>(nodes.size())));
}

namespace {

// Every costly output of a segment with a backward pass, and nothing else, is kept, laid out
// as a boundary is.
template <std::size_t N>
void check_kept(const ModelGraph<N>& model, int count) {
  const std::vector<Node> nodes(model.nodes.begin(), model.nodes.end());
  const std::vector<bool> needs = needs_gradient(nodes);
  const std::vector<Segment> segments = segments_of(nodes, model.output, count);
  for (std::size_t k = 0; k < segments.size(); ++k) {
    const Segment& s = segments[k];
    INFO("segment " << k << " [" << s.begin << ", " << s.end << ")");
    // Read by the backward pass: needing a gradient, or read by a node of the segment that does.
    std::set<int> read;
    for (int j = s.begin; j < s.end; ++j) {
      if (!needs[static_cast<std::size_t>(j)]) continue;
      read.insert(j);
      for (int k = 0; k < nodes[static_cast<std::size_t>(j)].input_count; ++k)
        read.insert(nodes[static_cast<std::size_t>(j)].input(k));
    }
    std::vector<int> expected;
    if (k + 1 < segments.size())
      for (int i : read)
        if (i >= s.begin && costly_to_recompute(nodes[static_cast<std::size_t>(i)]))
          expected.push_back(i);
    CHECK(s.kept.nodes == expected);
    check_laid_out(s.kept, nodes);
  }
}

}  // namespace

TEST_CASE("a segment keeps the costly outputs its backward pass reads, only where it has one") {
  check_kept(examples::small_resnet, 3);
  check_kept(examples::inception_v3_imagenet, 16);
  check_kept(examples::inception_v3_finetune, 16);

  // Convolutions and dense layers are costly; normalization, activations, pooling are not.
  const auto& m = examples::small_resnet;
  int costly = 0;
  for (const Node& n : m.nodes) {
    const bool multiplies = n.kind == LayerKind::conv2d || n.kind == LayerKind::dense;
    if (!multiplies) CHECK_FALSE(costly_to_recompute(n));
    costly += costly_to_recompute(n);
  }
  CHECK(costly >= 3);

  // InceptionV3's fine-tuning: the segments wholly below layer 213 keep nothing; those above
  // it keep their convolutions; the last keeps nothing (one pipeline does both passes).
  const auto& f = examples::inception_v3_finetune;
  const std::vector<Node> nodes(f.nodes.begin(), f.nodes.end());
  const std::vector<Segment> segments = segments_of(nodes, f.output, 16);
  bool some_kept = false;
  for (const Segment& s : segments) {
    if (s.end <= 213) CHECK(s.kept.nodes.empty());
    if (s.begin >= 213 && &s != &segments.back()) CHECK_FALSE(s.kept.nodes.empty());
    some_kept = some_kept || !s.kept.nodes.empty();
  }
  CHECK(segments.back().kept.nodes.empty());
  CHECK(some_kept);
}

TEST_CASE("a frozen costly layer read by one that learns is kept") {
  // A random layer first, so no frozen base to cut at: the frozen convolution (node 2) and the
  // one that learns after it (node 3) share the first segment, and the second's kernel
  // gradient reads the first's output.
  constexpr auto model =
      Sequential("frozen_after_flip", Input{8, 8, 2}, RandomFlip{},
                 Conv2D{.filters = 4, .kernel_size = 3, .trainable = false},
                 Conv2D{.filters = 4, .kernel_size = 3}, Conv2D{.filters = 4, .kernel_size = 3},
                 Flatten{}, Dense{.units = 3, .activation = softmax});
  const std::vector<Node> nodes(model.nodes.begin(), model.nodes.end());
  REQUIRE(frozen_base_end(nodes) == 0);
  const std::vector<bool> needs = needs_gradient(nodes);
  REQUIRE_FALSE(needs[2]);
  REQUIRE(needs[3]);
  const Segment s = segments_of(nodes, model.output, 2).front();
  REQUIRE(s.end == 4);
  CHECK(s.kept.nodes == std::vector<int>{2, 3});
}

namespace {
template <std::size_t N>
std::vector<Node> nodes_of(const ModelGraph<N>& model) {
  return {model.nodes.begin(), model.nodes.end()};
}
template <std::size_t N>
std::vector<int> begins(const ModelGraph<N>& model, int count) {
  std::vector<int> b;
  for (const Segment& s : segments_of(nodes_of(model), model.output, count)) b.push_back(s.begin);
  return b;
}
}  // namespace

TEST_CASE("a frozen base ends at the first layer that learns, and a cut is made there") {
  // tiny_norm's first five layers frozen: the pooling after them has nothing to learn; the
  // 1x1 convolution (node 6) is the first that learns.
  CHECK(frozen_base_end(nodes_of(tests::tiny_frozen_base)) == 6);
  for (int count : {2, 3, 5}) {
    INFO(count << " segments");
    const std::vector<int> b = begins(tests::tiny_frozen_base, count);
    CHECK(std::count(b.begin(), b.end(), 6) == 1);
  }
  // Nothing frozen, no weights below the first that learns (ResNet50's first layer pads), or
  // a random layer in the base: no base to compute once.
  CHECK(frozen_base_end(nodes_of(tests::tiny_norm)) == 0);
  CHECK(frozen_base_end(nodes_of(examples::resnet50_imagenet)) == 0);
  CHECK(frozen_base_end(nodes_of(tests::tiny_augment.frozen_below(4))) == 0);
  CHECK(frozen_base_end(nodes_of(tests::tiny_augment)) == 0);
  // InceptionV3's fine-tuning: the base ends inside mixed7, past layer 213.
  const int base = frozen_base_end(nodes_of(examples::inception_v3_finetune));
  CHECK(base >= 213);
  const std::vector<int> b = begins(examples::inception_v3_finetune, 16);
  CHECK(std::count(b.begin(), b.end(), base) == 1);
}

TEST_CASE("where a cut at the frozen base's end leaves too few layers, the cuts are even") {
  // tiny_frozen with its first three layers frozen too: the base ends at the Dense layer
  // (node 7 of 10), and five segments of two layers cannot cut there.
  const auto model = tests::tiny_frozen.frozen_below(3);
  REQUIRE(frozen_base_end(nodes_of(model)) == 7);
  CHECK(begins(model, 5) == std::vector<int>{0, 2, 4, 6, 8});
  const std::vector<int> two = begins(model, 2);
  CHECK(std::count(two.begin(), two.end(), 7) == 1);
}
