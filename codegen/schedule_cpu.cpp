#include <algorithm>

#include "codegen/schedule.hpp"

namespace cnn::codegen {

namespace {

using Halide::Func;
using Halide::TailStrategy;
using Halide::Var;
using Halide::VarOrRVar;

int vector_width_for(int extent, int natural) {
  if (extent >= natural) return natural;
  if (extent >= 4) return 4;
  return 1;
}

// out(a0, a1, rest...) = reduction, computed in register tiles of (w0 x t1) accumulators:
// the wrapper walks the tiles (in parallel over its outermost loop), the reduction runs
// inside each tile with a0 vectorized and a1 unrolled. Convolutions and dense layers take
// t1 = 8: with w0 two vectors wide that is 16 accumulators, enough to keep both FMA ports
// busy while each step loads two weight vectors and eight broadcast inputs (t1 = 4 left
// the loads the bottleneck: 8 -> +8% inference on mnist_cnn, +36% on cifar_deep, 1 thread).
enum class Spread { outermost, second_dimension_tiles };

// The batch and other run-time extents count as large.
int known(int extent) { return extent == kBatchExtent ? 1 << 20 : extent; }

void register_tiled(Func f, const std::vector<int>& extents, int natural, int t1_wanted,
                    Spread spread) {
  const std::vector<Var> args = f.args();
  const int extent0 = known(extents[0]), extent1 = known(extents[1]);
  const int v = vector_width_for(extent0, natural);
  const int w0 = (extent0 >= 2 * v && extent0 % (2 * v) == 0) ? 2 * v : v;
  const int t1 = std::max(1, std::min(t1_wanted, extent1));
  Func tiles = f.in();
  Var a0o("a0o"), a0i("a0i"), a1o("a1o"), a1i("a1i");
  tiles.compute_root()
      .split(args[0], a0o, a0i, w0, TailStrategy::ShiftInwards)
      .split(args[1], a1o, a1i, t1, TailStrategy::ShiftInwards);
  std::vector<VarOrRVar> order{a0i, a1i, a0o, a1o};
  for (std::size_t k = 2; k < args.size(); ++k) order.push_back(args[k]);
  tiles.reorder(order);
  if (v > 1) tiles.vectorize(a0i, v);
  tiles.unroll(a1i);
  if (spread == Spread::outermost && args.size() > 2)
    tiles.parallel(args.back());
  else
    tiles.parallel(a1o);

  f.compute_at(tiles, a0o);
  if (v > 1) f.vectorize(args[0], v).unroll(args[0]);
  f.unroll(args[1]);
  std::vector<VarOrRVar> update_order{args[0], args[1]};
  for (const auto& rv : f.rvars(0)) update_order.push_back(rv);
  for (std::size_t k = 2; k < args.size(); ++k) update_order.push_back(args[k]);
  f.update().reorder(update_order);
  if (v > 1) f.update().vectorize(args[0], v).unroll(args[0]);
  f.update().unroll(args[1]);
}

void materialize(Func f, int natural) {
  const std::vector<Var> args = f.args();
  f.compute_root();
  if (args.empty()) return;
  f.vectorize(args[0], natural, TailStrategy::GuardWithIf);
  if (args.size() > 1) f.parallel(args.back());
  for (int u = 0; u < f.num_update_definitions(); ++u) {
    f.update(u).vectorize(args[0], natural, TailStrategy::GuardWithIf);
  }
}

// t(i, u) = w(u, i): row by row, each read of w would touch another cache line; in square
// blocks of one vector's width the lines a block reads are reused while they are in cache.
void transposed_in_blocks(Func f, int natural) {
  const std::vector<Var> args = f.args();
  Var io("io"), uo("uo"), ii("ii"), ui("ui");
  f.compute_root()
      .tile(args[0], args[1], io, uo, ii, ui, natural, natural, TailStrategy::GuardWithIf)
      .vectorize(ii)
      .unroll(ui)
      .parallel(uo);
}

}  // namespace

void schedule_cpu(const Lowered& lowered, const std::vector<Func>& outputs,
                  const Halide::Target& target) {
  const int natural = target.natural_vector_size<float>();
  for (const Stage& s : lowered.stages) {
    Func f = s.func;
    switch (s.role) {
      case Role::conv:
      case Role::conv_grad_input:  // both: (channels, x, y, n), parallel over the batch
        register_tiled(f, s.extents, natural, 8, Spread::outermost);
        break;
      case Role::conv_grad_kernel: {
        // (co, ci, kx, ky) summed over (x, y, n): one partial sum per sample, so that each
        // sample's slices of the input and gradient stay in cache while every tile of the
        // kernel gradient is computed from them, and samples spread across cores.
        const auto r = f.rvars(0);
        Var sample("sample");
        Func per_sample = f.update().rfactor(r[2], sample);
        std::vector<int> extents = s.extents;
        extents.push_back(kBatchExtent);
        register_tiled(per_sample, extents, natural, 4, Spread::outermost);
        // The sum of the partials, split over input channels: serial, it was a tenth of
        // cifar_deep's step at 2 threads.
        const std::vector<Var> k = f.args();
        f.compute_root().vectorize(k[0], natural, TailStrategy::GuardWithIf).parallel(k[1]);
        f.update().vectorize(k[0], natural, TailStrategy::GuardWithIf).parallel(k[1]);
        break;
      }
      case Role::dense:              // (units, n)
      case Role::dense_grad_input:   // (inputs, n)
      case Role::dense_grad_kernel:  // (units, inputs)
        register_tiled(f, s.extents, natural, 8, Spread::second_dimension_tiles);
        break;
      case Role::transposed_weights:
        if (f.args().size() == 2) {  // a dense kernel: transposed in square blocks, see above
          transposed_in_blocks(f, natural);
          break;
        }
        materialize(f, natural);
        break;
      case Role::channel_sum:
      case Role::pooling:
      case Role::pointwise_image:
      case Role::pointwise_flat: materialize(f, natural); break;
      case Role::per_sample:
      case Role::scalar: f.compute_root(); break;
    }
  }
  for (Func out : outputs) {
    const std::vector<Var> args = out.args();
    if (!args.empty()) out.vectorize(args[0], natural, TailStrategy::GuardWithIf);
    for (int u = 0; u < out.num_update_definitions(); ++u) {
      // Slices of a flat output written by update definitions: vectorize their innermost RVar.
      const auto rvars = out.rvars(u);
      // Each slice maps its domain one-to-one onto its own range of the output, which
      // Halide cannot prove for a multi-dimensional domain: the race it fears is absent.
      if (!rvars.empty())
        out.update(u).allow_race_conditions().vectorize(rvars[0], natural,
                                                        TailStrategy::GuardWithIf);
    }
  }
}

}  // namespace cnn::codegen
