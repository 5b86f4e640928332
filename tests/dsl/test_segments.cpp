// Cutting a model into segments (dsl/segments.hpp): the segments tile the model and each
// boundary holds exactly what crosses its cut.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "dsl/segments.hpp"
#include "examples/inception_v3.hpp"
#include "examples/small_resnet.hpp"

using namespace cnn;

namespace {

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
    long long offset = 0;
    for (std::size_t t = 0; t < s.out.nodes.size(); ++t) {
      CHECK(s.out.offsets[t] == offset);
      offset += nodes[static_cast<std::size_t>(s.out.nodes[t])].output.elements();
    }
    CHECK(s.out.elements_per_sample == offset);
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
