// The optimizers' update rules, one flat elementwise pass over all parameters, with Keras's
// formulas. Model-independent: built once and shared by every trainer.
//
//   sgd:      v = momentum v - lr g;  w += v  (nesterov: w += momentum v - lr g)
//   rmsprop:  a = rho a + (1 - rho) g^2;  w -= lr g / (sqrt(a) + eps)
//   adam:     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
//             w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)
//   adadelta: a = rho a + (1 - rho) g^2;  u = sqrt(d + eps) / sqrt(a + eps) g;
//             d = rho d + (1 - rho) u^2;  w -= lr u
// The three results are one Tuple, computed in one loop: each depends only on the inputs at
// its own index, so the runtime may pass the inputs' buffers as the outputs (in place).
#include <Halide.h>

namespace cnn::codegen {

enum class OptimizerKind { sgd, rmsprop, adam, adadelta };

class OptimizerGenerator : public Halide::Generator<OptimizerGenerator> {
 public:
  GeneratorParam<OptimizerKind> kind{"kind",
                                     OptimizerKind::sgd,
                                     {{"sgd", OptimizerKind::sgd},
                                      {"rmsprop", OptimizerKind::rmsprop},
                                      {"adam", OptimizerKind::adam},
                                      {"adadelta", OptimizerKind::adadelta}}};

  Input<Buffer<float>> params{"params", 1};
  Input<Buffer<float>> gradients{"gradients", 1};
  Input<Buffer<float>> slot_a{"slot_a", 1};  // momentum, rms or first moment
  Input<Buffer<float>> slot_b{"slot_b", 1};  // second moment, or Adadelta's update average
  Input<float> learning_rate{"learning_rate"};
  Input<float> decay_a{"decay_a"};  // momentum, rho or beta_1
  Input<float> decay_b{"decay_b"};  // beta_2
  Input<float> epsilon{"epsilon"};
  Input<int32_t> iteration{"iteration"};  // 1 for the first update (Adam's bias correction)
  Input<bool> nesterov{"nesterov"};
  // The new parameters, slot_a and slot_b.
  Output<Halide::Func> updated{
      "updated", {Halide::Float(32), Halide::Float(32), Halide::Float(32)}, 1};

  void generate() {
    Var i("i");
    Expr g = gradients(i), w = params(i), a = slot_a(i), b = slot_b(i);
    Expr lr = learning_rate;
    Expr step, next_a = a, next_b = b;  // step: the change to w
    switch (kind) {
      case OptimizerKind::sgd:
        next_a = decay_a * a - lr * g;
        step = Halide::select(nesterov, decay_a * next_a - lr * g, next_a);
        break;
      case OptimizerKind::rmsprop:
        next_a = decay_a * a + (1 - decay_a) * g * g;
        step = -lr * g / (Halide::sqrt(next_a) + epsilon);
        break;
      case OptimizerKind::adam: {
        Expr t = Halide::cast<float>(iteration);
        Expr corrected_lr =
            lr * Halide::sqrt(1 - Halide::pow(decay_b, t)) / (1 - Halide::pow(decay_a, t));
        next_a = decay_a * a + (1 - decay_a) * g;
        next_b = decay_b * b + (1 - decay_b) * g * g;
        step = -corrected_lr * next_a / (Halide::sqrt(next_b) + epsilon);
        break;
      }
      case OptimizerKind::adadelta: {
        next_a = decay_a * a + (1 - decay_a) * g * g;
        Expr update = Halide::sqrt(b + epsilon) / Halide::sqrt(next_a + epsilon) * g;
        next_b = decay_a * b + (1 - decay_a) * update * update;
        step = -lr * update;
        break;
      }
    }
    updated(i) = {w + step, next_a, next_b};

    // Schedule: memory-bound; vectorize and split across cores in large chunks.
    const int v = get_target().natural_vector_size<float>();
    if (get_target().has_gpu_feature()) {
      Var b_("b"), t("t");
      updated.gpu_tile(i, b_, t, 256, Halide::TailStrategy::GuardWithIf);
    } else {
      Var outer("outer"), inner("inner");
      updated.split(i, outer, inner, v * 1024, Halide::TailStrategy::GuardWithIf)
          .parallel(outer)
          .vectorize(inner, v);
    }
    for (auto* in : {&params, &gradients, &slot_a, &slot_b}) in->set_estimates({{0, 1 << 20}});
    updated.set_estimates({{0, 1 << 20}});
  }
};

}  // namespace cnn::codegen

HALIDE_REGISTER_GENERATOR(cnn::codegen::OptimizerGenerator, cnn_optimizer)
