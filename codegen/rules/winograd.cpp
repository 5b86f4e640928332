// Winograd's F(4x4, 3x3): out = A^T [ (G g G^T) .* (B^T d B) ] A per tile, the elementwise
// product summed over the input channels (see winograd.hpp).
#include "codegen/rules/winograd.hpp"

#include <array>
#include <functional>

namespace cnn::codegen {

namespace {

constexpr int kM = kWinogradTile;
constexpr int kT = kWinogradTile + 2;  // input tile side

// The interpolation points 0, 1, -1, 2, -2 and infinity (Lavin and Gray's matrices).
constexpr std::array<std::array<float, kT>, kT> kBT{{
    {4, 0, -5, 0, 1, 0},
    {0, -4, -4, 1, 1, 0},
    {0, 4, -4, -1, 1, 0},
    {0, -2, -1, 2, 1, 0},
    {0, 2, -1, -2, 1, 0},
    {0, 4, 0, -5, 0, 1},
}};
constexpr std::array<std::array<float, 3>, kT> kG{{
    {1.0f / 4, 0, 0},
    {-1.0f / 6, -1.0f / 6, -1.0f / 6},
    {-1.0f / 6, 1.0f / 6, -1.0f / 6},
    {1.0f / 24, 1.0f / 12, 1.0f / 6},
    {1.0f / 24, -1.0f / 12, 1.0f / 6},
    {0, 0, 1},
}};
constexpr std::array<std::array<float, kT>, kM> kAT{{
    {1, 1, 1, 1, 1, 0},
    {0, 1, -1, 2, -2, 0},
    {0, 1, 1, 4, 4, 0},
    {0, 1, -1, 8, -8, 1},
}};

template <std::size_t R, std::size_t C>
constexpr std::array<std::array<float, R>, C> transposed(
    const std::array<std::array<float, C>, R>& m) {
  std::array<std::array<float, R>, C> t{};
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t c = 0; c < C; ++c) t[c][r] = m[r][c];
  return t;
}
constexpr auto kA = transposed(kAT);  // 6 x 4
constexpr auto kGT = transposed(kG);  // 3 x 6

// sum over k of row[k] * term(k), skipping the zeros: the transforms are sparse.
template <std::size_t N>
Expr combine(const std::array<float, N>& row, const std::function<Expr(int)>& term) {
  Expr sum;
  for (std::size_t k = 0; k < N; ++k) {
    if (row[k] == 0) continue;
    const Expr t = term(static_cast<int>(k));
    const Expr e = row[k] == 1 ? t : row[k] == -1 ? -t : row[k] * t;
    sum = sum.defined() ? sum + e : e;
  }
  return sum.defined() ? sum : Expr(0.0f);
}

// row `index` of `matrix` applied to term: a select over the rows that folds away where
// the schedule unrolls `index`.
template <std::size_t R, std::size_t N>
Expr row_of(const std::array<std::array<float, N>, R>& matrix, Expr index,
            const std::function<Expr(int)>& term) {
  std::vector<Expr> rows;
  for (const auto& row : matrix) rows.push_back(combine(row, term));
  return Halide::mux(index, rows);
}

// B^T d B for each 6x6 tile of `in` (tiles overlapping by 2), tile (tx, ty) starting at
// (4 tx - offset_x, 4 ty - offset_y).
Func input_tiles(Context& ctx, const WinogradConv& conv, Func in, int tiles_x, int tiles_y) {
  Var ci("ci"), i("i"), j("j"), tx("tile_x"), ty("tile_y"), n("n");
  Func v(conv.name + "_wino_input");
  v(ci, i, j, tx, ty, n) = row_of(kBT, i, [&](int a) {
    return row_of(kBT, j, [&](int b) {
      return in(ci, tx * kM + a - conv.offset_x, ty * kM + b - conv.offset_y, n);
    });
  });
  ctx.lowered.add(v, Role::winograd_input,
                  {conv.channels_in, kT, kT, tiles_x, tiles_y, kBatchExtent});
  return v;
}

}  // namespace

bool winograd_suits(int channels_in, int channels_out, int width, int height) {
  return channels_in >= 16 && channels_out >= 16 && width >= kM && height >= kM;
}

Func winograd_conv3x3(Context& ctx, const WinogradConv& conv, Func in, Func weights, Expr bias) {
  const std::string& name = conv.name;
  Var co("co"), ci("ci"), i("i"), j("j"), tx("tile_x"), ty("tile_y"), n("n");
  const int tiles_x = (conv.width + kM - 1) / kM, tiles_y = (conv.height + kM - 1) / kM;

  // The weights, per step: G g G^T for each pair of channels.
  Func u(name + "_wino_weights");
  u(co, ci, i, j) = row_of(
      kG, i, [&](int a) { return row_of(kG, j, [&](int b) { return weights(co, ci, a, b); }); });
  ctx.lowered.add(u, Role::winograd_weights, {conv.channels_out, conv.channels_in, kT, kT});

  Func v = input_tiles(ctx, conv, in, tiles_x, tiles_y);

  // Their product, summed over the input channels: 36 matrix products.
  RDom r(0, conv.channels_in, name + "_wino_r");
  Func product(name + "_wino_product");
  product(co, i, j, tx, ty, n) = 0.0f;
  product(co, i, j, tx, ty, n) += u(co, r, i, j) * v(r, i, j, tx, ty, n);
  ctx.lowered.add(product, Role::winograd_product,
                  {conv.channels_out, kT, kT, tiles_x, tiles_y, kBatchExtent});

  // Back to pixels: A^T m A, output (x, y) being point (x % 4, y % 4) of tile (x / 4, y / 4).
  const Dims& d = dims();
  Func z(name);
  z(d.c, d.x, d.y, d.n) = bias + row_of(kAT, d.x % kM, [&](int a) {
                            return row_of(kAT, d.y % kM, [&](int b) {
                              return product(d.c, a, b, d.x / kM, d.y / kM, d.n);
                            });
                          });
  ctx.lowered.add(z, Role::winograd_output,
                  {conv.channels_out, conv.width, conv.height, kBatchExtent});
  return z;
}

Func winograd_kernel_gradient(Context& ctx, const WinogradConv& conv, Func d_out, Func in) {
  const std::string& name = conv.name;
  Var co("co"), ci("ci"), i("i"), j("j"), tx("tile_x"), ty("tile_y"), n("n");
  const int tiles_x = (conv.width + kM - 1) / kM, tiles_y = (conv.height + kM - 1) / kM;

  // The forward's output tile is linear in the weights: its gradient goes back through the
  // transposed transforms, A dY A^T for the output's gradient.
  Func d_out_tiles(name + "_wino_d_output");
  d_out_tiles(co, i, j, tx, ty, n) = row_of(kA, i, [&](int p) {
    return row_of(kA, j, [&](int q) { return d_out(co, tx * kM + p, ty * kM + q, n); });
  });
  ctx.lowered.add(d_out_tiles, Role::winograd_input,
                  {conv.channels_out, kT, kT, tiles_x, tiles_y, kBatchExtent});
  Func v = input_tiles(ctx,
                       {name, conv.channels_in, conv.channels_out, conv.width, conv.height,
                        conv.offset_x, conv.offset_y},
                       in, tiles_x, tiles_y);

  // Their product, summed over every tile of every sample.
  RDom r(0, tiles_x, 0, tiles_y, 0, ctx.batch, name + "_wino_r");
  Func product(name + "_wino_product");
  product(co, ci, i, j) = 0.0f;
  product(co, ci, i, j) += d_out_tiles(co, i, j, r.x, r.y, r.z) * v(ci, i, j, r.x, r.y, r.z);
  ctx.lowered.add(product, Role::winograd_gradient_product,
                  {conv.channels_out, conv.channels_in, kT, kT});

  // Back to the 3x3 window: G^T P G.
  Var a("a"), b("b");
  Func d_weights(name);
  d_weights(co, ci, a, b) = row_of(
      kGT, a, [&](int k) { return row_of(kGT, b, [&](int l) { return product(co, ci, k, l); }); });
  ctx.lowered.add(d_weights, Role::winograd_gradient_output,
                  {conv.channels_out, conv.channels_in, 3, 3});
  return d_weights;
}

}  // namespace cnn::codegen
