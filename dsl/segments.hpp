// A model cut into segments: runs of consecutive layers that are lowered, compiled and run as
// separate pipelines, so that no single Halide compile sees a 300-layer graph (the cost of
// lowering one pipeline grows with the square of its stages).
//
// Contract: segment k holds the nodes [begin, end); the segments tile the model in its node
// order, which is topological. What crosses a cut is its *boundary*: the outputs of nodes
// before the cut that nodes after it read (a skip connection spanning several segments is in
// every boundary it crosses). A boundary is stored per sample as one flat float vector, the
// tensors one after another in node order, each in its NHWC order; the last segment's
// boundary is the model's output. codegen/ (which lowers a segment) and runtime/ (which runs
// the pipelines in turn) both compute the segments here, so they agree.
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
};

struct Segment {
  int begin = 0, end = 0;  // nodes [begin, end)
  Boundary in;             // what crosses the cut before `begin` (none for the first: the images)
  Boundary out;            // what crosses the cut after `end` (the model's output for the last)
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

// The tensors crossing the cut before node `cut` of a model whose output is node `output`.
inline Boundary boundary_at(const std::vector<Node>& nodes, int output, int cut) {
  std::vector<bool> live(nodes.size(), false);
  for (std::size_t i = static_cast<std::size_t>(cut); i <= static_cast<std::size_t>(output); ++i)
    for (int k = 0; k < nodes[i].input_count; ++k)
      if (nodes[i].input(k) < cut) live[static_cast<std::size_t>(nodes[i].input(k))] = true;
  if (output < cut) live[static_cast<std::size_t>(output)] = true;
  Boundary b;
  for (std::size_t i = 0; i < live.size(); ++i) {
    if (!live[i]) continue;
    b.nodes.push_back(static_cast<int>(i));
    b.offsets.push_back(b.elements_per_sample);
    b.elements_per_sample += nodes[i].output.elements();
  }
  return b;
}

// The model in `count` segments, as even in length as the layers allow; among the cuts that
// achieve it, those where the fewest tensors cross, then the fewest values (for InceptionV3:
// between blocks, where one tensor does, where the lengths permit). One segment: the whole
// model. By dynamic programming over the cut positions.
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
        if (from[kq][uq] == kNone) continue;
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
  std::vector<int> cuts{size};
  for (int k = count; k > 0; --k)
    cuts.push_back(from[static_cast<std::size_t>(k)][static_cast<std::size_t>(cuts.back())]);
  std::reverse(cuts.begin(), cuts.end());
  std::vector<Segment> segments;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    Segment s;
    s.begin = cuts[k];
    s.end = cuts[k + 1];
    if (k > 0) s.in = segments.back().out;
    s.out = boundary_at(nodes, output, s.end);
    segments.push_back(std::move(s));
  }
  return segments;
}

}  // namespace cnn
