#include "runtime/train/trainer.hpp"

#include <HalideBuffer.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>

#include "runtime/error.hpp"
#include "runtime/model/kernel_errors.hpp"
#include "runtime/model/segmented.hpp"
#include "runtime/train/callbacks.hpp"
#include "runtime/train/interrupt.hpp"

namespace cnn::runtime {

using Halide::Runtime::Buffer;

namespace {

// A batch of NHWC images as the kernels see it: (c, x, y, n).
Buffer<float> image_buffer(const float* pixels, const Shape& s, int count) {
  return Buffer<float>(const_cast<float*>(pixels), {s.channels, s.width, s.height, count});
}

// Bytes of memory available now (Linux's estimate); 0 where unknown.
double available_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  double kib = 0;
  while (meminfo >> key >> kib >> unit)  // "MemAvailable:   20971520 kB"
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

// Restores a value when the scope ends, however it ends.
template <class T>
struct Restore {
  T& value;
  T saved;
  ~Restore() { value = saved; }
};
}  // namespace

Shape Trainer::input_shape() const {
  if (from_segment_ == 0) return model_.input_shape();
  return Shape::image(1, 1, static_cast<int>(kernels_.segments->frozen_base_features()));
}

Dataset Trainer::frozen_base_output(const Dataset& data, bool training) const {
  const SegmentedKernels& segments = *kernels_.segments;
  const auto features = static_cast<std::size_t>(segments.frozen_base_features());
  Dataset out;
  out.source = data.source + " (the frozen base's output)";
  out.height = out.width = 1;
  out.channels = static_cast<int>(features);
  out.classes = data.classes;
  out.class_names = data.class_names;
  out.labels = data.labels;
  out.pixels.resize(data.size() * features);
  Buffer<float> params(const_cast<float*>(weights_.params.data()),
                       static_cast<int>(weights_.params.size()));
  Buffer<float> state(const_cast<float*>(weights_.state.data()),
                      static_cast<int>(weights_.state.size()));
  const Shape s = model_.input_shape();
  constexpr int kBatch = 32;
  for (std::size_t done = 0; done < data.size();) {
    const int n = static_cast<int>(std::min<std::size_t>(kBatch, data.size() - done));
    Buffer<float> images = image_buffer(data.image(done), s, n);
    Buffer<float> output(out.pixels.data() + done * features, {static_cast<int>(features), n});
    check_kernel(segments.run_frozen_base(images, params, state, output, training), "frozen base");
    done += static_cast<std::size_t>(n);
  }
  return out;
}

std::vector<std::uint32_t> epoch_order(std::size_t n, std::uint64_t seed, int epoch, bool shuffle) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  if (!shuffle) return order;
  // Fisher-Yates with our own draws: the same order on every standard library.
  std::mt19937_64 rng(seed * 1000003u + static_cast<std::uint64_t>(epoch));
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  return order;
}

Trainer::Trainer(const ModelInfo& model, const ModelKernels& kernels, Weights weights,
                 Optimizer optimizer, const Communicator& comm)
    : model_(model),
      kernels_(kernels),
      weights_(std::move(weights)),
      optimizer_(std::move(optimizer)),
      comm_(comm) {
  capture_kernel_errors();
  new_state_.resize(weights_.state.size());
  for (std::size_t i = 0; i < model_.nodes.size(); ++i) {
    const Node& n = model_.nodes[i];
    if (n.kind != LayerKind::batch_normalization) continue;
    const TensorSlot* mean = model_.table.find(static_cast<int>(i), TensorRole::moving_mean);
    const TensorSlot* var = model_.table.find(static_cast<int>(i), TensorRole::moving_variance);
    moving_.push_back({static_cast<std::size_t>(mean->offset),
                       static_cast<std::size_t>(var->offset), n.output.channels,
                       n.output.rank == 1 ? 1 : n.output.width * n.output.height,
                       n.as<BatchNormalization>().momentum});
  }
}

void Trainer::broadcast_state() {
  comm_.broadcast(weights_.params);
  comm_.broadcast(weights_.state);
  comm_.broadcast(optimizer_.slot_a);
  comm_.broadcast(optimizer_.slot_b);
}

void Trainer::reduce_step(int count, int total, double& loss, double& correct) {
  // Each rank's gradients are the mean over its shard: weighted by the shard's size, their
  // sum is the mean over the global batch, as one process computing it all would get.
  const float share = static_cast<float>(count) / static_cast<float>(total);
  for (float& g : gradients_) g *= share;
  const auto start = std::chrono::steady_clock::now();
  comm_.sum(gradients_);
  reduce_seconds_ +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ++reduced_steps_;

  // The kernel updated the moving statistics from this shard's mean and (Bessel-corrected)
  // variance; recover those, pool them over the ranks, and update from the global batch's.
  std::vector<double> sums{loss * count, correct};
  for (const MovingStatistics& m : moving_) {
    const double n = static_cast<double>(count) * m.values_per_sample, keep = m.momentum;
    for (int c = 0; c < m.channels; ++c) {
      const std::size_t im = m.mean + static_cast<std::size_t>(c),
                        iv = m.variance + static_cast<std::size_t>(c);
      double mean = 0, var = 0;
      if (count > 0) {
        mean = batch_statistic<double>(new_state_[im], weights_.state[im], keep);
        var = biased_variance(batch_statistic<double>(new_state_[iv], weights_.state[iv], keep), n);
      }
      sums.push_back(n * mean);
      sums.push_back(n * (var + mean * mean));
    }
  }
  comm_.sum(sums);
  loss = sums[0] / total;
  correct = sums[1];
  std::size_t k = 2;
  for (const MovingStatistics& m : moving_) {
    const double n = static_cast<double>(total) * m.values_per_sample, keep = m.momentum;
    for (int c = 0; c < m.channels; ++c, k += 2) {
      const std::size_t im = m.mean + static_cast<std::size_t>(c),
                        iv = m.variance + static_cast<std::size_t>(c);
      const double mean = sums[k] / n, var = std::max(sums[k + 1] / n - mean * mean, 0.0);
      new_state_[im] = static_cast<float>(moving_average<double>(weights_.state[im], mean, keep));
      new_state_[iv] = static_cast<float>(
          moving_average<double>(weights_.state[iv], unbiased_variance(var, n), keep));
    }
  }
}

std::pair<double, int> Trainer::train_step(const Dataset& data,
                                           const std::vector<std::uint32_t>& order,
                                           std::size_t begin, std::size_t end, std::uint64_t seed) {
  const Shape s = input_shape();
  const auto [first, last] = shard_of(begin, end, comm_.rank(), comm_.size());
  const int count = static_cast<int>(last - first);
  const std::size_t per_image = data.image_elements();
  const int classes = model_.classes();
  batch_images_.resize(per_image * static_cast<std::size_t>(count));
  batch_targets_.assign(static_cast<std::size_t>(classes) * static_cast<std::size_t>(count), 0.0f);
  for (int i = 0; i < count; ++i) {
    const std::uint32_t sample = order[first + static_cast<std::size_t>(i)];
    std::copy_n(data.image(sample), per_image,
                batch_images_.data() + per_image * static_cast<std::size_t>(i));
    batch_targets_[static_cast<std::size_t>(i * classes + data.labels[sample])] = 1.0f;
  }
  Buffer<float> images = image_buffer(batch_images_.data(), s, count);
  Buffer<float> targets(batch_targets_.data(), {classes, count});
  Buffer<float> params(weights_.params.data(), static_cast<int>(weights_.params.size()));
  Buffer<float> state(weights_.state.data(), static_cast<int>(weights_.state.size()));
  gradients_.resize(weights_.params.size());  // at the first step: evaluating needs none
  Buffer<float> gradients(gradients_.data(), static_cast<int>(gradients_.size()));
  Buffer<float> new_state(new_state_.data(), static_cast<int>(new_state_.size()));
  Buffer<float> loss_out = Buffer<float>::make_scalar();
  Buffer<std::int32_t> correct_out = Buffer<std::int32_t>::make_scalar();
  double loss = 0, correct = 0;
  if (count > 0) {
    const auto seed32 = static_cast<std::int32_t>(seed);
    const auto step32 = static_cast<std::int32_t>(step_);
    const auto first_sample = static_cast<std::int32_t>(first - begin);
    check_kernel(
        from_segment_ > 0
            ? kernels_.segments->run_train_step(images, targets, params, state, seed32, step32,
                                                first_sample, gradients, new_state, loss_out,
                                                correct_out, from_segment_)
            : kernels_.train_step(images, targets, params, state, seed32, step32, first_sample,
                                  gradients, new_state, loss_out, correct_out),
        "training step");
    loss = loss_out();
    correct = correct_out();
  } else {  // a last global batch smaller than the ranks: this one has no sample of it
    std::fill(gradients_.begin(), gradients_.end(), 0.0f);
    new_state_ = weights_.state;
  }
  if (comm_.size() > 1) reduce_step(count, static_cast<int>(end - begin), loss, correct);
  if (!std::isfinite(loss) || !optimizer_.apply(weights_.params, gradients_))
    return {std::nan(""), 0};
  weights_.state.swap(new_state_);
  ++step_;
  return {loss, static_cast<int>(correct)};
}

FitResult Trainer::fit(const Dataset& train, const Dataset* validation, const FitOptions& options,
                       Progress& progress, std::span<Callback* const> callbacks) {
  if (options.batch_size < 1) throw Error("--batch-size must be at least 1");
  if (train.size() == 0) throw Error("the training set is empty");
  // A step takes batch_size samples on each rank, or global_batch shared among them.
  if (options.global_batch < 0) throw Error("the global batch size must be positive");
  const std::size_t batch =
      options.global_batch > 0
          ? static_cast<std::size_t>(options.global_batch)
          : static_cast<std::size_t>(options.batch_size) * static_cast<std::size_t>(comm_.size());
  const long long steps = static_cast<long long>((train.size() + batch - 1) / batch);
  if (options.initial_step < 0 || options.initial_step >= steps)
    throw Error(
        fmt::format("cannot resume at step {} of an epoch of {} steps: the data set "
                    "or the batch size differs from the interrupted run's",
                    options.initial_step, steps));
  if (comm_.size() > 1) broadcast_state();
  // Every rank must stop at the same step, or the others would wait for it forever.
  auto interrupted = [&] {
    double requested = options.interrupt != nullptr && options.interrupt->load() ? 1 : 0;
    if (comm_.size() > 1) comm_.sum(std::span<double>(&requested, 1));
    return requested > 0;
  };
  // The frozen base's output, computed once (FitOptions::cache_frozen_base): the training
  // set's as a training step computes it, the validation set's as inference does, so that
  // every step and every validation gives what it would from the images.
  const Dataset* training_data = &train;
  const Dataset* validation_data = validation;
  Dataset base_train, base_validation;
  Restore<int> back_to_images{from_segment_, 0};
  const SegmentedKernels* segments = kernels_.segments;
  if (options.cache_frozen_base && segments != nullptr && segments->frozen_base_segments() > 0 &&
      comm_.size() == 1 && options.epochs - options.initial_epoch > 1) {
    const auto samples = train.size() + (validation != nullptr ? validation->size() : 0);
    const double megabytes = static_cast<double>(samples) *
                             static_cast<double>(segments->frozen_base_features()) * 4 / 1e6;
    const double available = available_bytes() / 1e6;
    const int layers =
        segments->segments[static_cast<std::size_t>(segments->frozen_base_segments())].begin;
    if (megabytes <= available / 2) {
      const auto t0 = std::chrono::steady_clock::now();
      base_train = frozen_base_output(train, true);
      if (validation != nullptr) base_validation = frozen_base_output(*validation, false);
      training_data = &base_train;
      validation_data = validation != nullptr ? &base_validation : nullptr;
      from_segment_ = segments->frozen_base_segments();
      progress.note(fmt::format(
          "The frozen base (the first {} layers) computed once: {} values per image, {:.0f} MB, "
          "in {:.1f} s; every epoch trains the layers above it",
          layers, segments->frozen_base_features(), megabytes,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()));
    } else {
      progress.note(fmt::format(
          "The frozen base (the first {} layers) is computed at every step: its output would "
          "take {:.0f} MB, more than half the {:.0f} MB available",
          layers, megabytes, available));
    }
  }

  FitResult result;
  result.epochs_done = options.initial_epoch;
  for (int epoch = options.initial_epoch; epoch < options.epochs; ++epoch) {
    const bool resumed = epoch == options.initial_epoch;
    const EpochSums before = resumed ? options.initial_sums : EpochSums{};
    const auto start = std::chrono::steady_clock::now() -
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(before.seconds));
    const auto order = epoch_order(train.size(), options.seed, epoch, options.shuffle);
    progress.start_epoch(epoch + 1, options.epochs, steps);
    double loss_sum = before.loss;
    long long correct = before.correct, seen = before.seen;
    long long step = resumed ? options.initial_step : 0;
    for (; step < steps; ++step) {
      if (options.max_steps >= 0 && step_ >= options.max_steps) break;
      if (interrupted()) {
        result.end = FitEnd::interrupted;
        break;
      }
      InterruptGuard::note_step(epoch + 1, step + 1);
      const std::size_t begin = static_cast<std::size_t>(step) * batch;
      const std::size_t end = std::min(begin + batch, train.size());
      const auto [loss, hits] = train_step(*training_data, order, begin, end, options.seed);
      if (std::isnan(loss)) {
        result.end = FitEnd::non_finite;
        break;
      }
      loss_sum += loss * static_cast<double>(end - begin);
      correct += hits;
      seen += static_cast<long long>(end - begin);
      progress.update(step + 1, loss_sum / seen, static_cast<double>(correct) / seen);
    }
    if (result.end == FitEnd::interrupted || result.end == FitEnd::non_finite) {
      progress.finish_line();
      result.steps_into_epoch = step;
      result.sums_into_epoch = {
          loss_sum, correct, seen,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
      break;
    }
    EpochLog log;
    log.epoch = epoch + 1;
    log.learning_rate = optimizer_.learning_rate();
    log.loss = seen > 0 ? loss_sum / seen : 0;
    log.accuracy = seen > 0 ? static_cast<double>(correct) / seen : 0;
    log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log.images_per_second = log.seconds > 0 ? seen / log.seconds : 0;
    std::string extra;
    if (validation_data != nullptr && validation_data->size() > 0) {
      const Evaluation v = evaluate(*validation_data, options.batch_size);
      log.val_loss = v.loss;
      log.val_accuracy = v.accuracy;
      extra = fmt::format(" - val_loss: {:.4f} - val_accuracy: {:.4f}", v.loss, v.accuracy);
    }
    progress.end_epoch(step, log.loss, log.accuracy, extra);
    history_.push_back(log);
    result.epochs_done = epoch + 1;
    const bool max_steps_reached = options.max_steps >= 0 && step_ >= options.max_steps;
    bool go_on = true;
    for (Callback* c : callbacks) go_on = c->on_epoch_end(log, *this) && go_on;
    if (!go_on) result.end = FitEnd::stopped;
    if (!go_on || max_steps_reached) break;
  }
  // Interrupted or stopped by a NaN, training is paused, not over: the state saved to resume
  // from must be the current one, not the one EarlyStopping would restore.
  if (result.end != FitEnd::interrupted && result.end != FitEnd::non_finite)
    for (Callback* c : callbacks) c->on_train_end(*this);
  return result;
}

std::vector<float> Trainer::predict(const Dataset& data, std::size_t begin, std::size_t count,
                                    int batch_size) const {
  const Shape s = input_shape();
  const int classes = model_.classes();
  std::vector<float> probabilities(count * static_cast<std::size_t>(classes));
  Buffer<float> params(const_cast<float*>(weights_.params.data()),
                       static_cast<int>(weights_.params.size()));
  Buffer<float> state(const_cast<float*>(weights_.state.data()),
                      static_cast<int>(weights_.state.size()));
  for (std::size_t done = 0; done < count;) {
    const int n =
        static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(batch_size), count - done));
    Buffer<float> images = image_buffer(data.image(begin + done), s, n);
    Buffer<float> out(probabilities.data() + done * static_cast<std::size_t>(classes),
                      {classes, n});
    check_kernel(from_segment_ > 0
                     ? kernels_.segments->run_inference(images, params, state, out, from_segment_)
                     : kernels_.inference(images, params, state, out),
                 "inference");
    done += static_cast<std::size_t>(n);
  }
  return probabilities;
}

std::pair<double, double> summed_evaluation(const Dataset& data, std::size_t first,
                                            const std::vector<float>& probabilities) {
  const auto classes = static_cast<std::size_t>(data.classes);
  double loss = 0, correct = 0;
  for (std::size_t i = 0; i < probabilities.size() / classes; ++i) {
    const float* row = probabilities.data() + i * classes;
    const int label = data.labels[first + i];
    // Keras clips probabilities to [eps, 1 - eps] before the log.
    loss -= std::log(std::clamp(row[label], 1e-7f, 1.0f - 1e-7f));
    correct += std::max_element(row, row + classes) - row == label ? 1 : 0;
  }
  return {loss, correct};
}

Evaluation evaluation_of(const Dataset& data, const std::vector<float>& probabilities) {
  const auto [loss, correct] = summed_evaluation(data, 0, probabilities);
  const double n = static_cast<double>(std::max<std::size_t>(data.size(), 1));
  return {loss / n, correct / n};
}

Evaluation Trainer::evaluate(const Dataset& data, int batch_size) const {
  const auto [first, last] = shard_of(0, data.size(), comm_.rank(), comm_.size());
  const auto [loss, correct] =
      summed_evaluation(data, first, predict(data, first, last - first, batch_size));
  double sums[2] = {loss, correct};
  comm_.sum(sums);
  const double n = static_cast<double>(std::max<std::size_t>(data.size(), 1));
  return {sums[0] / n, sums[1] / n};
}

}  // namespace cnn::runtime
