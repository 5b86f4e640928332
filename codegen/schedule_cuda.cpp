#include "codegen/schedule.hpp"

namespace cnn::codegen {

namespace {

using Halide::Func;
using Halide::TailStrategy;
using Halide::Var;

// Pure dimensions 0 and 1 across threads, every other pure dimension across blocks, so that
// no loop over the batch or rows is left to the host; a 1-d Func across a line of threads.
void tile_on_gpu(Func f) {
  const std::vector<Var> args = f.args();
  auto tile_definition = [&](Halide::Stage stage) {
    if (args.empty()) {
      stage.gpu_single_thread();
      return;
    }
    if (args.size() == 1) {
      Var b("b"), t("t");
      stage.gpu_tile(args[0], b, t, 128, TailStrategy::GuardWithIf);
      return;
    }
    Var bx("bx"), by("by"), tx("tx"), ty("ty");
    stage.tile(args[0], args[1], bx, by, tx, ty, 16, 8, TailStrategy::GuardWithIf);
    Var outer = by;
    for (std::size_t k = 2; k < args.size(); ++k) {
      Var fused("fused" + std::to_string(k));
      stage.fuse(outer, args[k], fused);
      outer = fused;
    }
    stage.gpu_threads(tx, ty).gpu_blocks(bx, outer);
  };
  f.compute_root();
  tile_definition(f);
  // Reductions keep their reduction loops inside each thread.
  for (int u = 0; u < f.num_update_definitions(); ++u) tile_definition(f.update(u));
}

// A flat output written slice by slice: each slice's update spread over threads.
void tile_flat_output_on_gpu(Func out) {
  const std::vector<Var> args = out.args();
  Var b("b"), t("t");
  out.gpu_tile(args[0], b, t, 256, TailStrategy::GuardWithIf);
  for (int u = 0; u < out.num_update_definitions(); ++u) {
    const auto rvars = out.rvars(u);
    Halide::RVar inner = rvars[0];
    Halide::RVar block("block"), thread("thread");
    // As on the CPU: each slice writes its own range of the output, one-to-one.
    out.update(u)
        .allow_race_conditions()
        .split(inner, block, thread, 64, TailStrategy::GuardWithIf)
        .gpu_blocks(block)
        .gpu_threads(thread);
  }
}

}  // namespace

void schedule_cuda(const Lowered& lowered, const std::vector<Func>& outputs,
                   const Halide::Target&) {
  for (const Stage& s : lowered.stages) tile_on_gpu(s.func);
  for (Func out : outputs) {
    if (out.dimensions() == 1 && out.num_update_definitions() > 0)
      tile_flat_output_on_gpu(out);
    else
      tile_on_gpu(out);
  }
}

}  // namespace cnn::codegen
