#include <algorithm>
#include <set>
#include <string>

#include "codegen/rules/winograd.hpp"
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

// Whether update `u` of f writes f(args...) at its own pure arguments, as a reduction into
// each point does (rather than at computed coordinates, as a scatter would).
bool updates_every_point(Func f, int u) {
  const std::vector<Var> args = f.args();
  const std::vector<Halide::Expr> lhs = f.update_args(u);
  for (std::size_t k = 0; k < lhs.size(); ++k) {
    const auto* var = lhs[k].as<Halide::Internal::Variable>();
    if (!var || var->name != args[k].name()) return false;
  }
  return true;
}

void materialize(Func f, int natural) {
  const std::vector<Var> args = f.args();
  f.compute_root();
  if (args.empty()) return;
  f.vectorize(args[0], natural, TailStrategy::GuardWithIf);
  if (args.size() > 1) f.parallel(args.back());
  for (int u = 0; u < f.num_update_definitions(); ++u) {
    f.update(u).vectorize(args[0], natural, TailStrategy::GuardWithIf);
    // An update at every point of f (a pooling's window) runs in parallel like the
    // initial value: serial, max pooling took 2.4 ms of mnist_cnn's step.
    if (args.size() > 1 && updates_every_point(f, u)) f.update(u).parallel(args.back());
  }
}

constexpr int kSamplesPerPartial = 16;

// f's update split into one partial sum per block of kSamplesPerPartial samples (its last
// RVar), to be computed in parallel; f becomes the sum of the partials, whose last pure
// dimension is the block. `in_block` names the samples of a block in the partials' update.
Func partials_over_samples(Func f, const Halide::RVar& in_block) {
  Halide::RVar block("sample_block");
  return f.update()
      .split(f.rvars(0).back(), block, in_block, kSamplesPerPartial, TailStrategy::GuardWithIf)
      .rfactor(block, Var("part"));
}

// (c) = sum over (..., n): the partials over blocks of samples in parallel, then their sum.
// Serial, a bias gradient read its 19 MB at one core's memory bandwidth (mnist_cnn's second
// convolution: 2.6 ms of a 60 ms step).
void summed_over_samples(Func f, int natural) {
  const Var c = f.args()[0];
  Func partial = partials_over_samples(f, Halide::RVar("in_sample_block"));
  const Var part = partial.args().back();
  partial.compute_root().vectorize(c, natural, TailStrategy::GuardWithIf).parallel(part);
  partial.update().vectorize(c, natural, TailStrategy::GuardWithIf).parallel(part);
  f.compute_root().vectorize(c, natural, TailStrategy::GuardWithIf);
  f.update().vectorize(c, natural, TailStrategy::GuardWithIf);
}

// t(i, u, ...) = w(u, i, ...): row by row, each read of w would touch another cache line
// (a 512 x 512 x 3 x 3 kernel read so took 4.7 ms, and its Winograd transform so 270 ms);
// in square blocks of one vector's width the lines a block reads are reused while they are
// in cache. A kernel's window loops inside the block.
void transposed_in_blocks(Func f, int natural) {
  const std::vector<Var> args = f.args();
  Var io("io"), uo("uo"), ii("ii"), ui("ui");
  f.compute_root().tile(args[0], args[1], io, uo, ii, ui, natural, natural,
                        TailStrategy::GuardWithIf);
  std::vector<VarOrRVar> order{ii, ui};
  order.insert(order.end(), args.begin() + 2, args.end());
  order.push_back(io);
  order.push_back(uo);
  f.reorder(order).vectorize(ii).unroll(ui).parallel(uo);
}

// How a reduction stage is cut into work, chosen per layer from its extents (the plan_*
// functions below) and applied by `blocked`:
// - tasks, run in parallel: w0 channels of the output (a0) times a block of the other
//   dimensions; each task computes its part of the stage in a buffer of its own;
// - register tiles inside a task: w0 channels (vectors) times `tile` points of the other
//   dimensions, unrolled, so that the inner loop is w0 / v x tile accumulators that stay in
//   registers for a whole block of the reduction;
// - a block of one reduction dimension loops outside the tiles, so that what a block reads
//   stays in cache while every tile of the task uses it (VGG16's 3x3x512 reductions are
//   18 KB of weights per output channel: whole, a tile's weights would come from L2).
struct Blocking {
  int v = 1;                // vector width
  int w0 = 1;               // a0 per task and per register tile: v or 2v
  std::vector<int> tile;    // per pure dimension (index 0 unused): register-tile extent, 1: none
  std::vector<int> task;    // per pure dimension (index 0 unused): extent per task, 0: all
  std::vector<int> extent;  // per pure dimension: its extent, kBatchExtent if known at run time
  // The RVar cut in blocks whose loop runs outside the tiles, and the block (0: none): a
  // convolution's input channels (the weights a block reads stay in L1), a kernel
  // gradient's samples (a block's slices of the input and gradient stay in L2).
  int blocked_rvar = 0;
  int rblock = 0;
  // RVars moved just inside the tile and unrolled (a 3x3 window; a 4x4 image's pixels), so
  // that the loop around them is long and the accumulators stay in registers all along it.
  std::vector<int> unrolled_rvars;
};

bool unrolled(const Blocking& b, std::size_t rvar) {
  return std::find(b.unrolled_rvars.begin(), b.unrolled_rvars.end(), static_cast<int>(rvar)) !=
         b.unrolled_rvars.end();
}

// `epilogue`: the stage's elementwise follower, computed by the tasks in place of a copy.
// `r`: the update's RVars, innermost first (after an rfactor, Func::rvars names split ones
// by qualified names that scheduling calls do not accept).
//
// Where the whole reduction runs inside the tiles, the stage is computed tile by tile, its
// accumulators never leaving registers; where it is cut in blocks, each task keeps its part
// of the stage in a buffer of its own that every block of the reduction adds to.
void blocked(Func f, const Blocking& b, Func epilogue = Func(), std::vector<Halide::RVar> r = {}) {
  const int v = b.v;
  const std::vector<Var> a = f.args();
  // Per tile where every tile is whole: a tile's loops must have constant extents to unroll.
  bool per_tile = b.rblock == 0;
  for (std::size_t k = 1; k < a.size(); ++k)
    if (b.tile[k] > 1 && (b.extent[k] <= 0 || b.extent[k] % b.tile[k] != 0)) per_tile = false;
  Func out = epilogue.defined() ? epilogue : f.in();
  const std::vector<Var> o = out.args();
  Var c_task("c_task"), c_in("c_in");
  out.compute_root().split(o[0], c_task, c_in, b.w0, TailStrategy::ShiftInwards);
  std::vector<VarOrRVar> tile_inner{c_in}, tile_outer;
  std::vector<Var> tasks{c_task};
  for (std::size_t k = 1; k < o.size(); ++k) {
    Var rest = o[k];
    // Tasks over a known extent overlap at its end rather than end short, so that the
    // tiles inside stay whole; over the batch they end short.
    const bool known = b.extent[k] > 0;
    if (b.task[k] > 0 && (!known || b.task[k] < b.extent[k])) {
      Var outer(o[k].name() + "_task"), inner(o[k].name() + "_in");
      out.split(o[k], outer, inner, b.task[k],
                known ? TailStrategy::ShiftInwards : TailStrategy::GuardWithIf);
      tasks.push_back(outer);
      rest = inner;
    }
    if (per_tile && b.tile[k] > 1) {
      Var outer(o[k].name() + "_tiles"), inner(o[k].name() + "_tile");
      out.split(rest, outer, inner, b.tile[k], TailStrategy::ShiftInwards);
      tile_inner.push_back(inner);
      rest = outer;
    }
    tile_outer.push_back(rest);
  }
  std::vector<VarOrRVar> order = tile_inner;
  order.insert(order.end(), tile_outer.begin(), tile_outer.end());
  order.insert(order.end(), tasks.begin(), tasks.end());
  out.reorder(order);
  if (v > 1) out.vectorize(c_in, v);
  Var task = tasks[0];
  for (std::size_t k = 1; k < tasks.size(); ++k) {
    Var fused(task.name() + "_" + tasks[k].name());
    out.fuse(task, tasks[k], fused);
    task = fused;
  }
  out.parallel(task);

  if (per_tile) {
    // One register tile: its loops unrolled, the reduction inside them.
    f.compute_at(out, tile_outer.empty() ? task : tile_outer[0].var);
    if (v > 1) f.vectorize(a[0], v);
    if (r.empty()) r = f.rvars(0);
    std::vector<VarOrRVar> update_order(a.begin(), a.end());
    for (int k : b.unrolled_rvars) update_order.push_back(r[k]);
    for (std::size_t k = 0; k < r.size(); ++k)
      if (!unrolled(b, k)) update_order.push_back(r[k]);
    Halide::Stage update = f.update();
    update.reorder(update_order);
    if (v > 1) update.vectorize(a[0], v);
    for (const Var& k : a) update.unroll(k);
    for (int k : b.unrolled_rvars) update.unroll(r[k]);
    return;
  }

  // On the stack: a task's block is at most a few hundred KB, and a heap allocation per
  // task cost more than a small layer's work.
  f.compute_at(out, task).store_in(Halide::MemoryType::Stack);
  if (v > 1) f.vectorize(a[0], v);
  Halide::Stage update = f.update();
  std::vector<VarOrRVar> inner{a[0]}, outer;
  for (std::size_t k = 1; k < a.size(); ++k) {
    if (b.tile[k] > 1) {
      Var in_tile(a[k].name() + "_tile");
      update.split(a[k], a[k], in_tile, b.tile[k], TailStrategy::GuardWithIf);
      inner.push_back(in_tile);
    }
    outer.push_back(a[k]);
  }
  if (r.empty()) r = f.rvars(0);
  std::vector<VarOrRVar> reduction_inner, reduction_outer;
  for (int k : b.unrolled_rvars) reduction_inner.push_back(r[k]);
  for (std::size_t k = 0; k < r.size(); ++k) {
    if (unrolled(b, k)) continue;
    if (b.rblock > 0 && static_cast<int>(k) == b.blocked_rvar) {
      Halide::RVar block(r[k].name() + "_block"), in_block(r[k].name() + "_in");
      update.split(r[k], block, in_block, b.rblock, TailStrategy::GuardWithIf);
      reduction_inner.push_back(in_block);
      reduction_outer.push_back(block);
    } else {
      reduction_inner.push_back(r[k]);
    }
  }
  std::vector<VarOrRVar> update_order = inner;
  update_order.insert(update_order.end(), reduction_inner.begin(), reduction_inner.end());
  update_order.insert(update_order.end(), outer.begin(), outer.end());
  update_order.insert(update_order.end(), reduction_outer.begin(), reduction_outer.end());
  update.reorder(update_order);
  if (v > 1) update.vectorize(a[0], v);
  for (const VarOrRVar& k : inner) update.unroll(k);
  for (int k : b.unrolled_rvars) update.unroll(r[k]);
}

// Accumulators a register tile may hold: the vector registers (32 with AVX-512, 16 with
// AVX2) less those the weights and the broadcast inputs take. Each step of the reduction
// loads w0 / v weight vectors and one broadcast per tile point for w0 / v FMAs per point:
// fewer than 8 points leave the loads the bottleneck (4 -> 8 points was +36% on cifar_deep).
int accumulator_budget(int natural) { return natural >= 16 ? 28 : 12; }

// The extents of the first update's RVars, innermost first; 0 where known only at run time
// (the batch). Func::rvars gives the RVars by name only, without their domain.
std::vector<int> reduction_extents(Func f) {
  std::vector<int> extents;
  for (const auto& r : f.function().update(0).schedule().rvars()) {
    const int64_t* e = Halide::Internal::as_const_int(r.extent);
    extents.push_back(e ? static_cast<int>(*e) : 0);
  }
  return extents;
}

std::vector<int> divisors(int n) {
  std::vector<int> d;
  for (int k = 1; k <= n; ++k)
    if (n % k == 0) d.push_back(k);
  return d;
}

// The largest product of per-dimension tiles (each dividing its extent) within `budget`,
// earlier dimensions preferred on ties: tiles without tails, so no guarded iterations.
std::vector<int> exact_tile(const std::vector<int>& extents, int budget) {
  std::vector<int> best(extents.size(), 1), current(extents.size(), 1);
  int best_product = 0;
  auto search = [&](auto& self, std::size_t k, int product) -> void {
    if (k == extents.size()) {
      if (product > best_product) {
        best_product = product;
        best = current;
      }
      return;
    }
    const std::vector<int> d = divisors(extents[k]);
    for (auto it = d.rbegin(); it != d.rend(); ++it) {  // largest first: the earliest best wins
      if (product * *it > budget) continue;
      current[k] = *it;
      self(self, k + 1, product * *it);
    }
    current[k] = 1;
  };
  search(search, 0, 1);
  return best;
}

// The largest divisor of `extent` that is at most `limit` (at least 1).
int divisor_at_most(int extent, int limit) {
  int best = 1;
  for (int d : divisors(extent))
    if (d <= limit) best = d;
  return best;
}

// The weights a block of the reduction reads, at most; the reduction is cut in blocks only
// where it would read twice as much whole (the rest of L1 holds the inputs).
constexpr int kL1Bytes = 32 * 1024;

// Samples per block, a power of two (as batches are) up to 64, for blocks of at least
// `pixels` pixels of images of `per_sample` pixels each.
int samples_for(int pixels, int per_sample) {
  int samples = 1;
  while (samples * per_sample < pixels && samples < 64) samples *= 2;
  return samples;
}

// A Blocking's channels: one vector, or two where the extent allows (twice the FMAs per
// broadcast input), and the points a register tile may then have.
Blocking over_channels(int extent, int natural) {
  Blocking b;
  b.v = vector_width_for(extent, natural);
  b.w0 = (extent >= 2 * b.v && extent % (2 * b.v) == 0) ? 2 * b.v : b.v;
  return b;
}
int tile_points(const Blocking& b, int natural) {
  return accumulator_budget(natural) / (b.w0 / b.v);
}

// (c, x, y, n) = sum over (channels, kx, ky): convolutions and their input gradients.
Blocking plan_image_reduction(Func f, const std::vector<int>& extents, int natural) {
  Blocking b = over_channels(extents[0], natural);
  const int width = extents[1], height = extents[2];
  // Enough samples per task that it has about a thousand pixels, so that a task's work
  // outweighs handing it out (a 2x2 layer's tiles span samples).
  const int samples = samples_for(1024, width * height);
  b.extent = {extents[0], width, height, kBatchExtent};
  b.task = {0, 0, 0, samples};
  const int budget = tile_points(b, natural);
  const std::vector<int> t = exact_tile({width, height, samples}, budget);
  b.tile = {1, t[0], t[1], t[2]};
  if (t[0] * t[1] * t[2] < budget / 2 && width > budget)  // no good divisors: guard a tail
    b.tile = {1, std::min(8, budget), 1, 1};
  const std::vector<int> r = reduction_extents(f);
  const int reduced = r[0], window = r[1] * r[2];
  const int fits = kL1Bytes / (4 * b.w0 * window);
  if (reduced > 2 * fits) b.rblock = divisor_at_most(reduced, std::max(1, fits));
  if (window <= 25) b.unrolled_rvars = {1, 2};  // the loop around them: the channels
  return b;
}

// (u, n) = sum over i: dense layers and their input gradients.
Blocking plan_flat_reduction(Func f, const std::vector<int>& extents, int natural) {
  Blocking b = over_channels(extents[0], natural);
  b.extent = {extents[0], kBatchExtent};
  b.task = {0, 128};
  b.tile = {1, std::min(8, tile_points(b, natural))};
  const int reduced = reduction_extents(f)[0];
  const int fits = kL1Bytes / (4 * b.w0);
  if (reduced > 2 * fits) b.rblock = divisor_at_most(reduced, fits);
  return b;
}

// (u, i) = sum over n: dense kernels' gradients, a short reduction (the batch) for each of
// many outputs: tiles of inputs, tasks of a few hundred inputs each.
Blocking plan_dense_kernel_gradient(const std::vector<int>& extents, int natural) {
  Blocking b = over_channels(extents[0], natural);
  const int t = exact_tile({extents[1]}, tile_points(b, natural))[0];
  b.extent = extents;
  b.tile = {1, t};
  b.task = {0, t * std::max(1, 256 / t)};
  return b;
}

// (co, ci, kx, ky) = sum over (x, y, n): kernel gradients. Each task holds w0 output
// channels of a block of input channels and sums over blocks of samples, so that a block's
// slices of the input and of the gradient stay in cache while every tile uses them.
Blocking plan_kernel_gradient(const std::vector<int>& extents, const std::vector<int>& reduced,
                              int natural) {
  Blocking b = over_channels(extents[0], natural);
  const int budget = tile_points(b, natural);
  const std::vector<int> t = exact_tile({extents[1], extents[2], extents[3]}, budget);
  b.tile = {1, t[0], t[1], t[2]};
  const int block = t[0] * divisor_at_most(extents[1] / t[0], std::max(1, 32 / t[0]));
  b.extent = extents;
  b.task = {0, block, 0, 0};
  // Blocks of samples with a few hundred pixels in all; small images' pixels unrolled.
  const int width = reduced[0], height = reduced[1];
  b.blocked_rvar = 2;
  b.rblock = samples_for(256, width * height);
  if (width <= 8) b.unrolled_rvars = {0};
  if (width * height <= 16) b.unrolled_rvars = {0, 1};
  return b;
}

// A Winograd transform's tiles (c, i, j, tx, ty, n), as their consumer needs them: channels
// in vectors, the 36 values of a tile unrolled so that their shared loads and sums fold.
void transformed_tiles(Func t, int channels, int natural) {
  const std::vector<Var> q = t.args();
  Var c_out("c_out"), c_in("c_in");
  t.split(q[0], c_out, c_in, vector_width_for(channels, natural), TailStrategy::GuardWithIf)
      .reorder(c_in, q[1], q[2], c_out, q[3], q[4], q[5])
      .vectorize(c_in)
      .unroll(q[1])
      .unroll(q[2]);
}

// Winograd's convolution (rules/winograd.hpp) in parallel tasks of whole rows of tiles of a
// few samples, about kTilesPerTask tiles each: a task transforms its input tiles, multiplies
// them by the transformed weights in register tiles of w0 channels x a block of tiles (each
// of the 36 products summing over every input channel in registers), and transforms the
// products back to pixels; its two buffers stay in L2.
constexpr int kTilesPerTask = 64;

void winograd(Func z, Func product, Func input_tiles, const std::vector<int>& extents,
              Func epilogue, int natural) {
  const int tile = kWinogradTile;
  const int tiles_x = (extents[1] + tile - 1) / tile, tiles_y = (extents[2] + tile - 1) / tile;
  int rows = tiles_y, samples = 1;
  if (tiles_x * tiles_y >= kTilesPerTask)
    rows = divisor_at_most(tiles_y, std::max(1, kTilesPerTask / tiles_x));
  else
    samples = samples_for(kTilesPerTask, tiles_x * tiles_y);

  Func out = epilogue.defined() ? epilogue : z.in();
  const std::vector<Var> o = out.args();  // (c, x, y, n)
  const Blocking b = over_channels(extents[0], natural);
  const int v = b.v;
  Var tx("tx"), px("px"), ty("ty"), py("py"), ty_task("ty_task"), ty_in("ty_in");
  Var n_task("n_task"), n_in("n_in"), c_out("c_out"), c_in("c_in"), task("task");
  out.compute_root()
      .split(o[0], c_out, c_in, v, TailStrategy::GuardWithIf)
      .split(o[1], tx, px, tile, TailStrategy::GuardWithIf)
      .split(o[2], ty, py, tile, TailStrategy::GuardWithIf)
      .split(ty, ty_task, ty_in, rows, TailStrategy::GuardWithIf)
      .split(o[3], n_task, n_in, samples, TailStrategy::GuardWithIf)
      .reorder(c_in, px, py, c_out, tx, ty_in, n_in, ty_task, n_task)
      .fuse(ty_task, n_task, task)
      .parallel(task)
      .vectorize(c_in)
      .unroll(px)
      .unroll(py);

  // The products, register tile by register tile, into the task's buffer.
  int w0 = b.w0;
  std::vector<int> t = exact_tile({tiles_x, rows}, accumulator_budget(natural) / (w0 / v));
  if (t[0] * t[1] < 8 && extents[0] % (4 * v) == 0) {  // few tiles: more channels per tile
    w0 = 4 * v;
    t = exact_tile({tiles_x, rows}, accumulator_budget(natural) / 4);
  }
  Func products = product.in();
  const std::vector<Var> m = products.args();  // (co, i, j, tx, ty, n)
  Var co_tile("co_tile"), co_in("co_in"), tx_tile("tx_tile"), tx_in("tx_in");
  Var ty_tile("ty_tile"), ty_in_tile("ty_in_tile");
  products.compute_at(out, task)
      .split(m[0], co_tile, co_in, w0, TailStrategy::ShiftInwards)
      .split(m[3], tx_tile, tx_in, t[0], TailStrategy::ShiftInwards)
      .split(m[4], ty_tile, ty_in_tile, t[1], TailStrategy::ShiftInwards)
      .reorder(co_in, tx_in, ty_in_tile, co_tile, tx_tile, ty_tile, m[1], m[2], m[5])
      .vectorize(co_in, v)
      .unroll(co_in)
      .unroll(tx_in)
      .unroll(ty_in_tile);
  const std::vector<Var> p = product.args();
  product.compute_at(products, co_tile).vectorize(p[0], v).unroll(p[0]).unroll(p[3]).unroll(p[4]);
  product.update()
      .reorder(p[0], p[3], p[4], p[1], p[2], p[5], product.rvars(0)[0])
      .vectorize(p[0], v)
      .unroll(p[0])
      .unroll(p[3])
      .unroll(p[4]);

  // The task's input tiles, 36 values per channel vector from 36 loads.
  input_tiles.compute_at(out, task);
  transformed_tiles(input_tiles, reduction_extents(product)[0], natural);
}

// Whether a Winograd layer goes by the fused plan above, every task holding all of its
// transformed weights (36 x channels in x out floats: 590 KB for 64 x 64, in L2); larger
// layers go stage by stage (below).
bool fused_winograd_fits(int channels_in, int channels_out) {
  return channels_in * channels_out <= 8192;
}

// The transformed weights a staged product's task holds in L2, at most (256 KB to 1 MB
// measured the same on VGG16).
constexpr int kStagedWeightBytes = 256 * 1024;

// Tiles (c, i, j, tx, ty, n) computed whole, in parallel over rows of samples, stored point
// by point: a matrix product at one point reads its slice contiguously.
void staged_tiles(Func t, int channels, int natural) {
  const std::vector<Var> q = t.args();
  Var rows("rows");
  t.compute_root().reorder_storage(q[0], q[3], q[4], q[5], q[1], q[2]);
  transformed_tiles(t, channels, natural);
  t.fuse(q[4], q[5], rows).parallel(rows);
}

// Winograd's convolution where the transformed weights outgrow a task's cache (VGG16's
// 128-512 channels: 36 x 512 x 512 floats, 38 MB), stage by stage: every input tile
// transformed; then the 36 matrix products (co x ci by ci x tiles), in parallel tasks of one
// point, a block of output channels whose weights stay in L2 and a block of samples, in
// register tiles of w0 channels x a few tiles summing over every input channel; then the
// products back to pixels, in parallel over rows of samples.
void winograd_staged(Func z, Func product, Func input_tiles, const std::vector<int>& extents,
                     Func epilogue, int natural) {
  const int tile = kWinogradTile;
  const int tiles_x = (extents[1] + tile - 1) / tile, tiles_y = (extents[2] + tile - 1) / tile;
  const int channels_in = reduction_extents(product)[0];
  const Blocking b = over_channels(extents[0], natural);
  const int v = b.v, w0 = b.w0;

  Func out = epilogue.defined() ? epilogue : z.in();
  const std::vector<Var> o = out.args();  // (c, x, y, n)
  Var tx("tx"), px("px"), ty("ty"), py("py"), c_out("c_out"), c_in("c_in"), rows("rows");
  out.compute_root()
      .split(o[0], c_out, c_in, v, TailStrategy::GuardWithIf)
      .split(o[1], tx, px, tile, TailStrategy::GuardWithIf)
      .split(o[2], ty, py, tile, TailStrategy::GuardWithIf)
      .reorder(c_in, px, py, c_out, tx, ty, o[3])
      .fuse(ty, o[3], rows)
      .parallel(rows)
      .vectorize(c_in)
      .unroll(px)
      .unroll(py);

  // Tasks: a point, a block of output channels, a block of samples of ~128 tiles.
  const int per_channel = 4 * channels_in;
  const int block =
      w0 * divisor_at_most(extents[0] / w0, std::max(1, kStagedWeightBytes / per_channel / w0));
  const int samples = samples_for(128, tiles_x * tiles_y);
  Func products = product.in();
  const std::vector<Var> m = products.args();  // (co, i, j, tx, ty, n)
  Var co_task("co_task"), co_in("co_in"), n_task("n_task"), n_in("n_in"), point("point"),
      task("task");
  products.compute_root()
      .split(m[0], co_task, co_in, block, TailStrategy::GuardWithIf)
      .split(m[5], n_task, n_in, samples, TailStrategy::GuardWithIf)
      .reorder(co_in, m[3], m[4], n_in, m[1], m[2], co_task, n_task)
      .fuse(m[1], m[2], point)
      .fuse(point, co_task, task)
      .fuse(task, n_task, task)
      .vectorize(co_in, v)
      .parallel(task);

  // Register tiles: w0 channels x the tiles of a few samples.
  const int budget = accumulator_budget(natural) / (w0 / v);
  const std::vector<int> t = exact_tile({tiles_x, tiles_y}, budget);
  const int ns = divisor_at_most(samples, std::max(1, budget / (t[0] * t[1])));
  const std::vector<Var> p = product.args();
  Var co_tile("co_tile"), co_r("co_r"), tx_tile("tx_tile"), tx_r("tx_r"), ty_tile("ty_tile"),
      ty_r("ty_r"), n_tile("n_tile"), n_r("n_r");
  product.compute_at(products, task).store_in(Halide::MemoryType::Stack).vectorize(p[0], v);
  product.update()
      .split(p[0], co_tile, co_r, w0, TailStrategy::GuardWithIf)
      .split(p[3], tx_tile, tx_r, t[0], TailStrategy::GuardWithIf)
      .split(p[4], ty_tile, ty_r, t[1], TailStrategy::GuardWithIf)
      .split(p[5], n_tile, n_r, ns, TailStrategy::GuardWithIf)
      .reorder({co_r, tx_r, ty_r, n_r, product.rvars(0)[0], co_tile, tx_tile, ty_tile, n_tile, p[1],
                p[2]})
      .vectorize(co_r, v)
      .unroll(co_r)
      .unroll(tx_r)
      .unroll(ty_r)
      .unroll(n_r);

  staged_tiles(input_tiles, channels_in, natural);
}

// Weights (co, ci, i, j) from a Winograd transform (the weights', 6x6; the weights'
// gradient's, 3x3), once per step: channels in vectors, the window unrolled so that its
// selects fold, input channels in parallel.
void transformed_weights(Func u, int natural) {
  const std::vector<Var> a = u.args();
  u.compute_root()
      .reorder(a[0], a[2], a[3], a[1])
      .vectorize(a[0], natural, TailStrategy::GuardWithIf)
      .unroll(a[2])
      .unroll(a[3])
      .parallel(a[1]);
}

// The stages of `lowered` with `role` that f calls directly.
std::vector<Func> callees(const Lowered& lowered, const Func& f, Role role) {
  const auto calls = Halide::Internal::find_direct_calls(f.function());
  std::vector<Func> found;
  for (const Stage& s : lowered.stages)
    if (s.role == role && calls.count(s.func.name())) found.push_back(s.func);
  return found;
}

// The channels of one of a kernel gradient's tile stages (d_weights extents (co, ci, ...)):
// the input's tiles have ci, the output gradient's co.
int tile_channels(const Func& tiles, const std::vector<int>& extents) {
  return tiles.name().find("_wino_input") != std::string::npos ? extents[1] : extents[0];
}

// Winograd's kernel gradient: the product summed over the batch in parallel parts, each part
// going through its samples block by block: a block's transformed tiles (output gradient and
// input) computed into L2, then multiplied into the part's sums in register tiles of w0
// output channels x a few input channels, every tile of the block reduced inside; the
// parts' sums added, then transformed back to the 3x3 window.
void winograd_kernel_gradient(Func d_weights, Func product, const std::vector<Func>& tiles,
                              const std::vector<int>& extents, int natural) {
  const std::vector<int> reduced = reduction_extents(product);  // (tiles x, tiles y, batch)
  const int block = samples_for(kTilesPerTask, reduced[0] * reduced[1]);
  const int per_part = std::max(kSamplesPerPartial, block);
  const Blocking b = over_channels(extents[0], natural);
  const int v = b.v, w0 = b.w0;
  const int points = divisor_at_most(extents[1], accumulator_budget(natural) / (w0 / v));

  const auto r = product.rvars(0);
  const Halide::RVar part_r("part_r"), in_part("in_part"), blk("sample_block"),
      in_blk("in_sample_block");
  Func partial = product.update()
                     .split(r[2], part_r, in_part, per_part, TailStrategy::GuardWithIf)
                     .rfactor(part_r, Var("part"));
  const std::vector<Var> a = partial.args();  // (co, ci, i, j, part)
  partial.compute_root().vectorize(a[0], v, TailStrategy::GuardWithIf).parallel(a[4]);
  Var co_tile("co_tile"), co_in("co_in"), ci_tile("ci_tile"), ci_in("ci_in");
  partial.update()
      .split(in_part, blk, in_blk, block, TailStrategy::GuardWithIf)
      .split(a[0], co_tile, co_in, w0, TailStrategy::GuardWithIf)
      .split(a[1], ci_tile, ci_in, points, TailStrategy::GuardWithIf)
      .reorder(co_in, ci_in, r[0], r[1], in_blk, co_tile, ci_tile, a[2], a[3], blk, a[4])
      .vectorize(co_in, v)
      .unroll(co_in)
      .unroll(ci_in)
      .parallel(a[4]);
  for (Func t : tiles) {
    t.compute_at(partial, blk);
    transformed_tiles(t, tile_channels(t, extents), natural);
  }

  const std::vector<Var> p = product.args();  // (co, ci, i, j)
  product.compute_root().vectorize(p[0], v, TailStrategy::GuardWithIf).parallel(p[1]);
  product.update().vectorize(p[0], v, TailStrategy::GuardWithIf).parallel(p[1]);
  transformed_weights(d_weights, natural);
}

// Winograd's kernel gradient where the layer's channels are many (see winograd_staged):
// both transforms' tiles computed whole; then for each point the matrix product of the
// output gradient's tiles (co x tiles) and the input's (tiles x ci), in parallel tasks of a
// point and blocks of channels, in register tiles of w0 output x a few input channels each
// summing over every tile of every sample; then back to the 3x3 window.
void winograd_kernel_gradient_staged(Func d_weights, Func product, const std::vector<Func>& tiles,
                                     const std::vector<int>& extents, int natural) {
  const Blocking b = over_channels(extents[0], natural);
  const int v = b.v, w0 = b.w0;
  const int points = std::min(extents[1], accumulator_budget(natural) / (w0 / v));
  for (Func t : tiles) staged_tiles(t, tile_channels(t, extents), natural);

  // Tasks: a point, blocks of 128 output and input channels (their tiles' slices in L2).
  Func products = product.in();
  const std::vector<Var> m = products.args();  // (co, ci, i, j)
  Var co_task("co_task"), co_block("co_block"), co_in("co_in"), ci_task("ci_task"),
      ci_block("ci_block"), ci_in("ci_in"), task("task");
  const int co_per_task = std::min(extents[0], 128), ci_per_task = std::min(extents[1], 128);
  products.compute_root()
      .split(m[0], co_task, co_block, co_per_task, TailStrategy::ShiftInwards)
      .split(co_block, co_block, co_in, w0, TailStrategy::ShiftInwards)
      .split(m[1], ci_task, ci_block, ci_per_task, TailStrategy::ShiftInwards)
      .split(ci_block, ci_block, ci_in, points, TailStrategy::ShiftInwards)
      .reorder(co_in, ci_in, co_block, ci_block, m[2], m[3], co_task, ci_task)
      .fuse(m[2], m[3], task)
      .fuse(task, co_task, task)
      .fuse(task, ci_task, task)
      .vectorize(co_in, v)
      .unroll(co_in)
      .unroll(ci_in)
      .parallel(task);

  // One register tile, the whole reduction inside it.
  const std::vector<Var> p = product.args();
  const auto r = product.rvars(0);
  product.compute_at(products, co_block).vectorize(p[0], v).unroll(p[0]).unroll(p[1]);
  product.update()
      .reorder(p[0], p[1], r[0], r[1], r[2], p[2], p[3])
      .vectorize(p[0], v)
      .unroll(p[0])
      .unroll(p[1]);
  transformed_weights(d_weights, natural);
}

// The Funcs that reductions (convolutions, dense layers, their gradients) read directly:
// an inlined activation there would be recomputed at every reuse, in the FMA ports' slots.
std::set<std::string> reread_by_reductions(const Lowered& lowered) {
  std::set<std::string> names;
  for (const Stage& s : lowered.stages) {
    const bool reduction = s.role == Role::conv || s.role == Role::conv_grad_input ||
                           s.role == Role::winograd_input || s.role == Role::conv_grad_kernel ||
                           s.role == Role::dense || s.role == Role::dense_grad_input ||
                           s.role == Role::dense_grad_kernel;
    if (!reduction) continue;
    for (const auto& [name, f] : Halide::Internal::find_direct_calls(s.func.function()))
      names.insert(name);
  }
  return names;
}

// The stage's epilogue where it is worth computing in the stage's tasks, else undefined (the
// epilogue stays inlined into its consumers, a pooling or a copy that reads it once).
Func epilogue_of(const Stage& s, const std::set<std::string>& reread) {
  return s.epilogue.defined() && reread.count(s.epilogue.name()) ? s.epilogue : Func();
}

}  // namespace

void schedule_cpu(const Lowered& lowered, const std::vector<Func>& outputs,
                  const Halide::Target& target) {
  constexpr int kChunk = 64 * 1024;  // values per task of a flat output's copy
  const int natural = target.natural_vector_size<float>();
  const std::set<std::string> reread = reread_by_reductions(lowered);
  for (const Stage& s : lowered.stages) {
    Func f = s.func;
    switch (s.role) {
      case Role::conv:
      case Role::conv_grad_input:  // both: (channels, x, y, n)
        blocked(f, plan_image_reduction(f, s.extents, natural), epilogue_of(s, reread));
        break;
      case Role::winograd_output: {
        const Func product = callees(lowered, f, Role::winograd_product).at(0);
        const Func tiles = callees(lowered, product, Role::winograd_input).at(0);
        if (fused_winograd_fits(reduction_extents(product)[0], s.extents[0]))
          winograd(f, product, tiles, s.extents, epilogue_of(s, reread), natural);
        else
          winograd_staged(f, product, tiles, s.extents, epilogue_of(s, reread), natural);
        break;
      }
      case Role::winograd_gradient_output: {
        const Func product = callees(lowered, f, Role::winograd_gradient_product).at(0);
        const std::vector<Func> tiles = callees(lowered, product, Role::winograd_input);
        if (fused_winograd_fits(s.extents[1], s.extents[0]))
          winograd_kernel_gradient(f, product, tiles, s.extents, natural);
        else
          winograd_kernel_gradient_staged(f, product, tiles, s.extents, natural);
        break;
      }
      case Role::winograd_gradient_product:
      case Role::winograd_product:
      case Role::winograd_input: break;  // within the output's tasks, above
      case Role::winograd_weights: transformed_weights(f, natural); break;
      case Role::conv_grad_kernel: {
        Blocking b = plan_kernel_gradient(s.extents, reduction_extents(f), natural);
        const int tasks = (s.extents[0] + b.w0 - 1) / b.w0 * (s.extents[1] / b.task[1]);
        if (tasks >= 8) {
          blocked(f, b);
          break;
        }
        // Too few tasks to spread (the first layers' small kernels): partial sums over
        // blocks of samples, in parallel, then their sum.
        const auto r = f.rvars(0);
        const Halide::RVar in_block("in_sample_block");
        Func partial = partials_over_samples(f, in_block);
        b.rblock = std::min(b.rblock, kSamplesPerPartial);
        b.task.push_back(1);
        b.tile.push_back(1);
        b.extent.push_back(kBatchExtent);
        blocked(partial, b, Func(), {r[0], r[1], in_block});
        const std::vector<Var> k = f.args();
        f.compute_root().vectorize(k[0], natural, TailStrategy::GuardWithIf).parallel(k[1]);
        f.update().vectorize(k[0], natural, TailStrategy::GuardWithIf).parallel(k[1]);
        break;
      }
      case Role::dense:             // (units, n)
      case Role::dense_grad_input:  // (inputs, n)
        blocked(f, plan_flat_reduction(f, s.extents, natural), epilogue_of(s, reread));
        break;
      case Role::dense_grad_kernel:  // (units, inputs), summed over the batch
        blocked(f, plan_dense_kernel_gradient(s.extents, natural));
        break;
      case Role::transposed_weights: transposed_in_blocks(f, natural); break;
      case Role::channel_sum: summed_over_samples(f, natural); break;
      case Role::pooling:
      case Role::pointwise_image:
      case Role::pointwise_flat: materialize(f, natural); break;
      case Role::per_sample:
      case Role::scalar: f.compute_root(); break;
    }
  }
  for (Func out : outputs) {
    const std::vector<Var> args = out.args();
    if (args.size() == 1) {  // a flat buffer (gradients, state): in parallel chunks
      Var chunk("chunk"), in_chunk("in_chunk");
      out.split(args[0], chunk, in_chunk, kChunk, TailStrategy::GuardWithIf)
          .parallel(chunk)
          .vectorize(in_chunk, natural, TailStrategy::GuardWithIf);
    } else if (!args.empty()) {  // probabilities, a segment's boundary: sample by sample
      out.vectorize(args[0], natural, TailStrategy::GuardWithIf).parallel(args.back());
    }
    for (int u = 0; u < out.num_update_definitions(); ++u) {
      // Slices of a flat output written by update definitions: vectorize their innermost RVar.
      const auto rvars = out.rvars(u);
      // Each slice maps its domain one-to-one onto its own range of the output, which
      // Halide cannot prove for a multi-dimensional domain: the race it fears is absent.
      if (rvars.empty()) continue;
      Halide::Stage slice = out.update(u).allow_race_conditions();
      slice.vectorize(rvars[0], natural, TailStrategy::GuardWithIf);
      if (args.size() == 2) {  // a segment's kept outputs (feature, n): sample by sample
        slice.parallel(args.back());
        continue;
      }
      // In parallel chunks of about 64K values: serial, copying VGG16's 14.7 M gradients
      // took 14 ms of a 1 s step; row by row, mnist_cnn's 9,216 rows of 128 took 2.5 ms
      // (the tasks' hand-out cost more than their copies).
      std::vector<int> extents;
      for (const auto& r : out.function().update(u).schedule().rvars()) {
        const int64_t* e = Halide::Internal::as_const_int(r.extent);
        extents.push_back(e ? static_cast<int>(*e) : kChunk);  // unknown: as if large
      }
      long long inner = 1;
      for (std::size_t k = 0; k + 1 < extents.size(); ++k) inner *= extents[k];
      const int rows = static_cast<int>(std::max(1LL, kChunk / inner));
      if (inner * extents.back() <= kChunk) continue;  // small: one task
      Halide::RVar chunk("chunk"), in_chunk("in_chunk");
      slice.split(rvars.back(), chunk, in_chunk, rows, TailStrategy::GuardWithIf).parallel(chunk);
    }
  }
}

}  // namespace cnn::codegen
