// oneDNN's kernels on one model's layers (the model is chosen at build time, see
// bench/CMakeLists.txt): each Conv2D and Dense layer's forward, backward-data and
// backward-weights pass at the given batch, with oneDNN's blocked layouts (format_tag::any)
// and each algorithm it has (direct; Winograd where it implements the shape), kernel time
// only: no reorders, no framework. With the sum of the best passes, the step those kernels
// alone would give. What our passes must beat.
// Usage: NAME_onednn THREADS [BATCH] [RUNS]; prints one JSON object per line.
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include CNN_BENCH_MODEL_HEADER
#include "runtime/model/model_info.hpp"

using namespace cnn;
using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using Args = std::unordered_map<int, memory>;

namespace {

dnnl::engine engine(dnnl::engine::kind::cpu, 0);
dnnl::stream stream(engine);

memory::desc any(const memory::dims& dims) {
  return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
}

memory filled(const memory::desc& desc) {
  memory m(desc, engine);
  auto* p = static_cast<float*>(m.get_data_handle());
  const std::size_t n = desc.get_size() / sizeof(float);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<float>(i % 97) / 97.0f - 0.5f;
  return m;
}

// Milliseconds per execution: the median of `runs` timings after a warm-up.
double time_ms(const dnnl::primitive& p, const Args& args, int runs) {
  for (int i = 0; i < 3; ++i) p.execute(stream, args);
  stream.wait();
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    p.execute(stream, args);
    stream.wait();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

struct Pass {
  std::string layer, pass, algorithm;
  double ms;
  long long macs;  // of the whole batch
};

// TensorFlow's "same": the total padding split with the extra pixel after.
std::pair<int, int> same_padding(int in, int window, int stride) {
  const int out = (in + stride - 1) / stride;
  const int total = std::max((out - 1) * stride + window - in, 0);
  return {total / 2, total - total / 2};
}

std::vector<Pass> conv_passes(const Node& n, const Shape& in, int batch, bool first, int runs) {
  const Conv2D& c = n.as<Conv2D>();
  const Shape& out = n.output;
  const memory::dims src{batch, in.channels, in.height, in.width},
      weights{out.channels, in.channels, c.kernel_size.height, c.kernel_size.width},
      bias{out.channels}, dst{batch, out.channels, out.height, out.width},
      strides{c.strides.height, c.strides.width};
  memory::dims left{0, 0}, right{0, 0};
  if (c.padding == Padding::same) {
    const auto [top, bottom] = same_padding(in.height, c.kernel_size.height, c.strides.height);
    const auto [l, r] = same_padding(in.width, c.kernel_size.width, c.strides.width);
    left = {top, l};
    right = {bottom, r};
  }
  const long long macs = n.macs * batch;
  const std::string name(n.name.view());
  std::vector<Pass> passes;
  for (algorithm a : {algorithm::convolution_direct, algorithm::convolution_winograd}) {
    const std::string alg = a == algorithm::convolution_direct ? "direct" : "winograd";
    try {
      const dnnl::convolution_forward::primitive_desc fwd(
          {prop_kind::forward_training, a, any(src), any(weights), any(bias), any(dst), strides,
           left, right},
          engine);
      memory x = filled(fwd.src_desc()), w = filled(fwd.weights_desc()),
             b = filled(fwd.bias_desc()), y = filled(fwd.dst_desc());
      passes.push_back(
          {name, "forward", alg,
           time_ms(
               dnnl::convolution_forward(fwd),
               {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, y}},
               runs),
           macs});
      if (!first) {  // the first layer's input needs no gradient
        const dnnl::convolution_backward_data::primitive_desc data(
            {a, any(src), any(weights), any(dst), strides, left, right}, engine, fwd);
        memory dx = filled(data.diff_src_desc()), wd = filled(data.weights_desc()),
               dy = filled(data.diff_dst_desc());
        passes.push_back(
            {name, "backward_data", alg,
             time_ms(dnnl::convolution_backward_data(data),
                     {{DNNL_ARG_DIFF_SRC, dx}, {DNNL_ARG_WEIGHTS, wd}, {DNNL_ARG_DIFF_DST, dy}},
                     runs),
             macs});
      }
      const dnnl::convolution_backward_weights::primitive_desc grad(
          {a, any(src), any(weights), any(bias), any(dst), strides, left, right}, engine, fwd);
      memory xs = filled(grad.src_desc()), dw = filled(grad.diff_weights_desc()),
             db = filled(grad.diff_bias_desc()), dys = filled(grad.diff_dst_desc());
      passes.push_back({name, "backward_weights", alg,
                        time_ms(dnnl::convolution_backward_weights(grad),
                                {{DNNL_ARG_SRC, xs},
                                 {DNNL_ARG_DIFF_WEIGHTS, dw},
                                 {DNNL_ARG_DIFF_BIAS, db},
                                 {DNNL_ARG_DIFF_DST, dys}},
                                runs),
                        macs});
    } catch (const dnnl::error&) {
      // This algorithm does not implement the shape (Winograd: 3x3, stride 1, and enough
      // channels): oneDNN's best is the other one.
    }
  }
  return passes;
}

std::vector<Pass> dense_passes(const Node& n, const Shape& in, int batch, bool first, int runs) {
  const memory::dims src{batch, static_cast<long>(in.elements())},
      weights{n.output.channels, static_cast<long>(in.elements())}, bias{n.output.channels},
      dst{batch, n.output.channels};
  const long long macs = n.macs * batch;
  const std::string name(n.name.view());
  std::vector<Pass> passes;
  const dnnl::inner_product_forward::primitive_desc fwd(
      {prop_kind::forward_training, any(src), any(weights), any(bias), any(dst)}, engine);
  memory x = filled(fwd.src_desc()), w = filled(fwd.weights_desc()), b = filled(fwd.bias_desc()),
         y = filled(fwd.dst_desc());
  passes.push_back(
      {name, "forward", "gemm",
       time_ms(dnnl::inner_product_forward(fwd),
               {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, y}},
               runs),
       macs});
  if (!first) {
    const dnnl::inner_product_backward_data::primitive_desc data({any(src), any(weights), any(dst)},
                                                                 engine, fwd);
    memory dx = filled(data.diff_src_desc()), wd = filled(data.weights_desc()),
           dy = filled(data.diff_dst_desc());
    passes.push_back(
        {name, "backward_data", "gemm",
         time_ms(dnnl::inner_product_backward_data(data),
                 {{DNNL_ARG_DIFF_SRC, dx}, {DNNL_ARG_WEIGHTS, wd}, {DNNL_ARG_DIFF_DST, dy}}, runs),
         macs});
  }
  const dnnl::inner_product_backward_weights::primitive_desc grad(
      {any(src), any(weights), any(bias), any(dst)}, engine, fwd);
  memory xs = filled(grad.src_desc()), dw = filled(grad.diff_weights_desc()),
         db = filled(grad.diff_bias_desc()), dys = filled(grad.diff_dst_desc());
  passes.push_back({name, "backward_weights", "gemm",
                    time_ms(dnnl::inner_product_backward_weights(grad),
                            {{DNNL_ARG_SRC, xs},
                             {DNNL_ARG_DIFF_WEIGHTS, dw},
                             {DNNL_ARG_DIFF_BIAS, db},
                             {DNNL_ARG_DIFF_DST, dys}},
                            runs),
                    macs});
  return passes;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 128;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 20;
  if (threads < 1 || batch < 1 || runs < 1) {
    fmt::print(stderr, "usage: NAME_onednn THREADS [BATCH] [RUNS]\n");
    return 2;
  }
  omp_set_num_threads(threads);
  const runtime::ModelInfo model = runtime::ModelInfo::of(CNN_BENCH_MODEL);
  std::vector<Pass> passes;
  bool first = true;  // no layer with weights before it: its input needs no gradient
  for (const Node& n : model.nodes) {
    if (n.kind != LayerKind::conv2d && n.kind != LayerKind::dense) continue;
    const Shape& in = model.nodes[static_cast<std::size_t>(n.input(0))].output;
    auto more = n.kind == LayerKind::conv2d ? conv_passes(n, in, batch, first, runs)
                                            : dense_passes(n, in, batch, first, runs);
    passes.insert(passes.end(), more.begin(), more.end());
    first = false;
  }
  // The best algorithm of each pass, summed: the step oneDNN's kernels alone would take.
  std::map<std::pair<std::string, std::string>, double> best;
  for (const Pass& p : passes) {
    fmt::print(
        "{{\"impl\": \"onednn\", \"model\": \"{}\", \"threads\": {}, \"batch\": {}, \"layer\": "
        "\"{}\", \"pass\": \"{}\", \"algorithm\": \"{}\", \"ms\": {:.3f}, \"gflops\": {:.1f}}}\n",
        model.name, threads, batch, p.layer, p.pass, p.algorithm, p.ms,
        2.0 * static_cast<double>(p.macs) / p.ms / 1e6);
    auto [it, fresh] = best.try_emplace({p.layer, p.pass}, p.ms);
    if (!fresh) it->second = std::min(it->second, p.ms);
  }
  double step_ms = 0;
  for (const auto& [key, ms] : best) step_ms += ms;
  fmt::print(
      "{{\"impl\": \"onednn\", \"model\": \"{}\", \"threads\": {}, \"batch\": {}, \"layer\": "
      "\"step\", \"pass\": \"best passes summed\", \"ms\": {:.3f}, \"images_per_second\": "
      "{:.1f}}}\n",
      model.name, threads, batch, step_ms, batch / step_ms * 1e3);
  return 0;
}
