// A model cut into segments: runs of consecutive layers that are lowered, compiled and run as
// separate pipelines, so that no single Halide compile sees a 300-layer graph (the cost of
// lowering one pipeline grows with the square of its stages).
//
// Contract: segment k holds the nodes [begin, end); the segments tile the model in its node
// order, which is topological. What crosses a cut is its *boundary*: the outputs of nodes
// before the cut that nodes after it read (a skip connection spanning several segments is in
// every boundary it crosses). A boundary is stored per sample as one flat float vector, the
// tensors one after another in node order, each in its NHWC order; the last segment's
// boundary is the model's output. What a segment's forward pass in training keeps for its
// backward pass (Segment::kept) is laid out the same way. codegen/ (which lowers a segment) and
// runtime/ (which runs the pipelines in turn) both compute the segments here, so they agree.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "node.hpp"

namespace cnn {

struct Boundary {
  std::vector<int> nodes;          // live across the cut, in node order
  std::vector<long long> offsets;  // of each node's tensor in the per-sample vector
  long long elements_per_sample = 0;

  // Node `node`'s tensor, after those already in.
  void append(int node, long long elements) {
    nodes.push_back(node);
    offsets.push_back(elements_per_sample);
    elements_per_sample += elements;
  }
};

struct Segment {
  int begin = 0, end = 0;  // nodes [begin, end)
  Boundary in;             // what crosses the cut before `begin` (none for the first: the images)
  Boundary out;            // what crosses the cut after `end` (the model's output for the last)
  // What its forward pass in training keeps for its backward pass, which would otherwise
  // compute it again (kept_for_backward): none for the last segment, whose one pipeline
  // computes both passes, nor where nothing needs a gradient.
  Boundary kept;
};

// Where the gradient must reach: nodes with parameters that learn (not frozen) and
// everything they feed.
inline std::vector<bool> needs_gradient(const std::vector<Node>& nodes) {
  std::vector<bool> needs(nodes.size(), false);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node& node = nodes[i];
    needs[i] = node.trainable && node.trainable_params > 0;
    for (int k = 0; k < node.input_count; ++k)
      needs[i] = needs[i] || needs[static_cast<std::size_t>(node.input(k))];
  }
  return needs;
}

// Whether segment `s` has a backward pass to run: a node of its own, or one it passes on,
// needs a gradient.
inline bool needs_backward(const Segment& s, const std::vector<bool>& needs) {
  for (int i = s.begin; i < s.end; ++i)
    if (needs[static_cast<std::size_t>(i)]) return true;
  for (int node : s.in.nodes)
    if (needs[static_cast<std::size_t>(node)]) return true;
  return false;
}

// Whether computing a node's output takes many multiply-adds per value (a convolution, a
// dense layer): keeping it costs less than computing it twice. What is cheap to compute again
// from kept values (normalization, activations, pooling, merges) is.
inline bool costly_to_recompute(const Node& node) {
  return node.macs >= 8 * node.output.elements();
}

// The outputs of segment `s` that its backward pass reads and that are costly to compute
// again: its costly nodes that need a gradient or feed one that does, in node order.
inline Boundary kept_for_backward(const std::vector<Node>& nodes, const Segment& s,
                                  const std::vector<bool>& needs) {
  Boundary kept;
  for (int i = s.begin; i < s.end; ++i) {
    const Node& node = nodes[static_cast<std::size_t>(i)];
    bool read_by_backward = needs[static_cast<std::size_t>(i)];
    for (int j = i + 1; j < s.end && !read_by_backward; ++j)
      for (int k = 0; k < nodes[static_cast<std::size_t>(j)].input_count; ++k)
        read_by_backward = read_by_backward || (nodes[static_cast<std::size_t>(j)].input(k) == i &&
                                                needs[static_cast<std::size_t>(j)]);
    if (read_by_backward && costly_to_recompute(node)) kept.append(i, node.output.elements());
  }
  return kept;
}

// The tensors crossing the cut before node `cut` of a model whose output is node `output`.
inline Boundary boundary_at(const std::vector<Node>& nodes, int output, int cut) {
  std::vector<bool> live(nodes.size(), false);
  for (std::size_t i = static_cast<std::size_t>(cut); i <= static_cast<std::size_t>(output); ++i)
    for (int k = 0; k < nodes[i].input_count; ++k)
      if (nodes[i].input(k) < cut) live[static_cast<std::size_t>(nodes[i].input(k))] = true;
  if (output < cut) live[static_cast<std::size_t>(output)] = true;
  Boundary b;
  for (std::size_t i = 0; i < live.size(); ++i)
    if (live[i]) b.append(static_cast<int>(i), nodes[i].output.elements());
  return b;
}

// Where the model's frozen base ends, if its output can be computed once per image and
// reused every epoch: the first node that needs a gradient, when a layer with weights (frozen,
// then) is below it and none draws at random; 0 where there is no such base (no frozen
// weights below the first layer that learns: ResNet50's first padding is no base; or a
// random layer among them).
inline int frozen_base_end(const std::vector<Node>& nodes) {
  const std::vector<bool> needs = needs_gradient(nodes);
  bool frozen_weights = false;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (needs[i]) return frozen_weights ? static_cast<int>(i) : 0;
    if (draws_at_random(nodes[i])) return 0;
    frozen_weights = frozen_weights || nodes[i].params() > 0;
  }
  return 0;  // nothing learns
}

// The model in `count` segments, as even in length as the layers allow; among the cuts that
// achieve it, those where the fewest tensors cross, then the fewest values (for InceptionV3:
// between blocks, where one tensor does, where the lengths permit). One segment: the whole
// model. By dynamic programming over the cut positions. Where the model has a frozen base
// (frozen_base_end) and the count allows, one cut is where it ends, so that a trainer can
// keep its output (runtime/model/segmented.hpp).
inline std::vector<Segment> segments_of(const std::vector<Node>& nodes, int output, int count) {
  const int size = output + 1;  // nodes after the output compute nothing it needs
  if (count < 1 || count > size / 2)
    throw std::invalid_argument("segments_of: cannot cut " + std::to_string(size) +
                                " layers into " + std::to_string(count) +
                                " segments of two or more layers");
  using Cost = std::tuple<int, std::size_t, long long>;  // longest segment, tensors, values
  std::vector<std::pair<std::size_t, long long>> crossing(static_cast<std::size_t>(size) + 1);
  for (int cut = 1; cut < size; ++cut) {
    const Boundary b = boundary_at(nodes, output, cut);
    crossing[static_cast<std::size_t>(cut)] = {b.nodes.size(), b.elements_per_sample};
  }
  // The cut positions, first 0 and last `size`, with one at `forced` unless it is 0; none
  // where no such cut exists.
  auto plan = [&](int forced) -> std::vector<int> {
    constexpr int kNone = -1;
    // best[k][p]: nodes [0, p) in k segments; from[k][p]: where the last of them begins.
    std::vector<std::vector<Cost>> best(static_cast<std::size_t>(count) + 1,
                                        std::vector<Cost>(static_cast<std::size_t>(size) + 1));
    std::vector<std::vector<int>> from(static_cast<std::size_t>(count) + 1,
                                       std::vector<int>(static_cast<std::size_t>(size) + 1, kNone));
    from[0][0] = 0;
    for (int k = 1; k <= count; ++k)
      for (int p = 2 * k; p <= size; ++p)
        for (int q = 2 * (k - 1); q <= p - 2; ++q) {
          const auto kq = static_cast<std::size_t>(k - 1), uq = static_cast<std::size_t>(q);
          if (from[kq][uq] == kNone || (q < forced && forced < p)) continue;
          const auto [longest, tensors, values] = best[kq][uq];
          const auto [t, v] = crossing[static_cast<std::size_t>(p)];
          const Cost cost{std::max(longest, p - q), tensors + t, values + v};
          auto& here = best[static_cast<std::size_t>(k)][static_cast<std::size_t>(p)];
          int& origin = from[static_cast<std::size_t>(k)][static_cast<std::size_t>(p)];
          if (origin == kNone || cost < here) {
            here = cost;
            origin = q;
          }
        }
    if (from[static_cast<std::size_t>(count)][static_cast<std::size_t>(size)] == kNone) return {};
    std::vector<int> cuts{size};
    for (int k = count; k > 0; --k)
      cuts.push_back(from[static_cast<std::size_t>(k)][static_cast<std::size_t>(cuts.back())]);
    std::reverse(cuts.begin(), cuts.end());
    return cuts;
  };
  const int base = frozen_base_end(nodes);
  std::vector<int> cuts = count > 1 && base >= 2 && base <= size - 2 ? plan(base) : plan(0);
  if (cuts.empty()) cuts = plan(0);  // the base's end leaves too few layers on a side
  const std::vector<bool> needs = needs_gradient(nodes);
  std::vector<Segment> segments;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    Segment s;
    s.begin = cuts[k];
    s.end = cuts[k + 1];
    if (k > 0) s.in = segments.back().out;
    s.out = boundary_at(nodes, output, s.end);
    if (k + 2 < cuts.size() && needs_backward(s, needs))
      s.kept = kept_for_backward(nodes, s, needs);
    segments.push_back(std::move(s));
  }
  return segments;
}

}  // namespace cnn
