// The training loop: batches, reshuffling every epoch, one generated training step and one
// optimizer update per batch, validation, evaluation and prediction with the generated
// inference kernel. Data-parallel over a Communicator's ranks: each computes its shard of
// every global batch (batch_size samples per rank), and the gradients, the loss, the
// accuracy, the moving statistics and the validation metrics are reduced across ranks.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "runtime/data/dataset.hpp"
#include "runtime/model/kernels.hpp"
#include "runtime/model/model_info.hpp"
#include "runtime/model/weights.hpp"
#include "runtime/train/distributed.hpp"
#include "runtime/train/epoch_log.hpp"
#include "runtime/train/optimizer.hpp"
#include "runtime/train/progress.hpp"

namespace cnn::runtime {

// An epoch's running sums so far: an interrupted epoch's, which its resumption goes on from.
struct EpochSums {
  double loss = 0;  // summed over the samples seen
  long long correct = 0, seen = 0;
  double seconds = 0;
};

struct FitOptions {
  int epochs = 12;
  int initial_epoch = 0;       // epochs already done (resuming)
  long long initial_step = 0;  // steps of epoch initial_epoch + 1 already done (resuming)
  EpochSums initial_sums;      // and their sums
  // Set from another thread or a signal handler: training stops after the current step.
  const std::atomic<bool>* interrupt = nullptr;
  int batch_size = 128;        // per rank: a step takes batch_size x ranks samples, unless
  long long global_batch = 0;  // a step takes these, shared among the ranks (shard_of)
  std::uint64_t seed = 42;
  bool shuffle = true;
  long long max_steps = -1;  // stop after this many steps in all; -1: no limit
  // Beyond Keras: a frozen base (runtime/model/segmented.hpp) gives an image the same output
  // every epoch; computed once, later epochs train the layers above it only. Where its output
  // fits in half the memory available, a single process, and more than one epoch to go.
  bool cache_frozen_base = true;
};

// Why fit returned.
enum class FitEnd {
  finished,     // every epoch ran, or max_steps was reached
  stopped,      // a callback stopped it (EarlyStopping)
  interrupted,  // options.interrupt was set
  non_finite,   // a step gave a non-finite loss or parameters (Keras's TerminateOnNaN)
};

// Each epoch's log is in Trainer::history().
struct FitResult {
  FitEnd end = FitEnd::finished;
  // Where training stands: whole epochs done, and steps done of the next one (only when
  // interrupted or ended by a non-finite step mid-epoch).
  int epochs_done = 0;
  long long steps_into_epoch = 0;
  EpochSums sums_into_epoch;
};

struct Evaluation {
  double loss = 0;
  double accuracy = 0;
};

class Callback;

class Trainer {
 public:
  Trainer(const ModelInfo& model, const ModelKernels& kernels, Weights weights, Optimizer optimizer,
          const Communicator& comm = Communicator::single_process());

  // Trains on `train`, validating on `validation` after each epoch when given; the
  // callbacks run after each epoch, in order, and any of them can stop training. A step
  // whose loss or update is not finite changes nothing and ends training.
  FitResult fit(const Dataset& train, const Dataset* validation, const FitOptions& options,
                Progress& progress, std::span<Callback* const> callbacks = {});

  // One training step on samples `order[begin, end)` of `data` (this rank computes its shard
  // of them); returns (loss, correct) of them all. When the loss or the updated parameters
  // are not finite, the weights, the moving statistics and the step count stay as they were
  // and the loss returned is NaN.
  std::pair<double, int> train_step(const Dataset& data, const std::vector<std::uint32_t>& order,
                                    std::size_t begin, std::size_t end, std::uint64_t seed);

  // Over every rank: each predicts its shard of `data`.
  Evaluation evaluate(const Dataset& data, int batch_size) const;
  // Class probabilities of samples [begin, begin + count), row by row.
  std::vector<float> predict(const Dataset& data, std::size_t begin, std::size_t count,
                             int batch_size) const;

  Weights& weights() { return weights_; }
  const Weights& weights() const { return weights_; }
  Optimizer& optimizer() { return optimizer_; }
  long long steps_done() const { return step_; }
  // Data-parallel: seconds this rank spent summing gradients with the others, and steps.
  double reduce_seconds() const { return reduce_seconds_; }
  long long reduced_steps() const { return reduced_steps_; }
  // Resuming: the step counter drives dropout's random stream.
  void set_steps_done(long long steps) { step_ = steps; }
  // Every epoch's log so far; a resumed run's starts with the epochs it resumes after.
  const std::vector<EpochLog>& history() const { return history_; }
  void set_history(std::vector<EpochLog> history) { history_ = std::move(history); }

 private:
  // A BatchNormalization layer's moving statistics in the state buffer.
  struct MovingStatistics {
    std::size_t mean, variance;  // offsets
    int channels;
    int values_per_sample;  // of each channel: width x height, or 1
    double momentum;
  };
  // Sums the ranks' gradients, loss and accuracy of a step, and makes the moving statistics
  // those of the whole global batch.
  void reduce_step(int count, int total, double& loss, double& correct);
  // Every rank starts from rank 0's weights and optimizer state.
  void broadcast_state();
  // What the kernels read: the model's images, or the frozen base's output while fit trains
  // from it (from_segment_).
  Shape input_shape() const;
  // The frozen base's output for every sample of `data`, as a set of (features, 1, 1) images:
  // as a training step computes it, or as inference does.
  Dataset frozen_base_output(const Dataset& data, bool training) const;

  const ModelInfo& model_;
  ModelKernels kernels_;
  Weights weights_;
  Optimizer optimizer_;
  const Communicator& comm_;
  std::vector<MovingStatistics> moving_;
  long long step_ = 0;
  std::vector<EpochLog> history_;
  double reduce_seconds_ = 0;
  long long reduced_steps_ = 0;
  // While fit trains from the frozen base's cached output: the segment after the base.
  int from_segment_ = 0;
  // Reused between steps.
  AlignedFloats batch_images_, batch_targets_, gradients_, new_state_;
};

// Keras's categorical cross-entropy and accuracy of class probabilities (a row per sample).
Evaluation evaluation_of(const Dataset& data, const std::vector<float>& probabilities);
// Their sums, for samples [first, first + rows) of `data`: {cross-entropy, correct}.
std::pair<double, double> summed_evaluation(const Dataset& data, std::size_t first,
                                            const std::vector<float>& probabilities);

// The epoch's order of sample indices: 0..n-1, shuffled by (seed, epoch) when asked.
std::vector<std::uint32_t> epoch_order(std::size_t n, std::uint64_t seed, int epoch, bool shuffle);

}  // namespace cnn::runtime
