#include "runtime/train/callbacks.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "runtime/error.hpp"

namespace cnn::runtime {

namespace {
// A best value in JSON: null while there is none yet (the monitor's worst, an infinity).
nlohmann::json best_value(double best) {
  return std::isfinite(best) ? nlohmann::json(best) : nlohmann::json();
}
double best_or(const nlohmann::json& j, double worst) {
  return j.at("best").is_null() ? worst : j.at("best").get<double>();
}
// This callback's part of a resumed run's state; null when the run had no such callback.
const nlohmann::json* part(const CallbackState& state, const char* name) {
  const auto it = state.values.find(name);
  return it == state.values.end() ? nullptr : &*it;
}
}  // namespace

Monitor::Monitor(std::string_view metric, std::string_view mode, double min_delta,
                 bool have_validation)
    : metric_(metric), min_delta_(std::abs(min_delta)) {
  if (metric_ != "loss" && metric_ != "accuracy" && metric_ != "val_loss" &&
      metric_ != "val_accuracy")
    throw Error(fmt::format("cannot monitor '{}': choose loss, accuracy, val_loss or val_accuracy",
                            metric));
  if (metric_.starts_with("val_") && !have_validation)
    throw Error(
        fmt::format("cannot monitor '{}' without a validation set: set a validation split "
                    "or validation data, or monitor '{}'",
                    metric, metric_.substr(4)));
  if (mode == "auto")
    higher_is_better_ = metric_.ends_with("accuracy");
  else if (mode == "max")
    higher_is_better_ = true;
  else if (mode == "min")
    higher_is_better_ = false;
  else
    throw Error(fmt::format("mode '{}' is not auto, min or max", mode));
}

double Monitor::value(const EpochLog& log) const {
  if (metric_ == "loss") return log.loss;
  if (metric_ == "accuracy") return log.accuracy;
  const auto& v = metric_ == "val_loss" ? log.val_loss : log.val_accuracy;
  return v.value_or(std::numeric_limits<double>::quiet_NaN());
}

bool Monitor::improves(double value, double best) const {
  return higher_is_better_ ? value - min_delta_ > best : value + min_delta_ < best;
}

double Monitor::worst() const {
  return higher_is_better_ ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
}

EarlyStoppingCallback::EarlyStoppingCallback(const EarlyStopping& config, bool have_validation)
    : config_(config),
      monitor_(config.monitor, config.mode, config.min_delta, have_validation),
      best_(monitor_.worst()) {}

bool EarlyStoppingCallback::on_epoch_end(const EpochLog& log, Trainer& trainer) {
  const double current = monitor_.value(log);
  last_epoch_ = log.epoch;
  ++wait_;
  if (monitor_.improves(current, best_)) {
    best_ = current;
    best_epoch_ = log.epoch;
    wait_ = 0;
    if (config_.restore_best_weights) best_weights_ = trainer.weights();
  }
  if (wait_ > 0 && wait_ >= config_.patience) {
    stopped_epoch_ = log.epoch;
    fmt::print("Epoch {}: early stopping ({} has not improved for {} epochs)\n", log.epoch,
               monitor_.metric(), wait_);
    return false;
  }
  return true;
}

void EarlyStoppingCallback::on_train_end(Trainer& trainer) {
  if (!best_weights_ || best_epoch_ == 0 || best_epoch_ == last_epoch_) return;
  if (best_weights_->params.size() != trainer.weights().params.size() ||
      best_weights_->state.size() != trainer.weights().state.size())
    throw Error("the resumed run's EarlyStopping weights do not fit the model");
  trainer.weights() = *best_weights_;
  fmt::print("Restoring the weights of epoch {}, the best by {} ({:.4f})\n", best_epoch_,
             monitor_.metric(), best_);
}

void EarlyStoppingCallback::save_state(CallbackState& state) const {
  state.values["early_stopping"] = {{"best", best_value(best_)},
                                    {"best_epoch", best_epoch_},
                                    {"last_epoch", last_epoch_},
                                    {"wait", wait_}};
  if (best_weights_) {
    const Weights& w = *best_weights_;
    state.tensors["early_stopping/params"].assign(w.params.begin(), w.params.end());
    state.tensors["early_stopping/state"].assign(w.state.begin(), w.state.end());
  }
}

void EarlyStoppingCallback::restore_state(const CallbackState& state) {
  const nlohmann::json* mine = part(state, "early_stopping");
  if (mine == nullptr) return;
  best_ = best_or(*mine, monitor_.worst());
  best_epoch_ = mine->at("best_epoch").get<int>();
  last_epoch_ = mine->at("last_epoch").get<int>();
  wait_ = mine->at("wait").get<int>();
  const auto params = state.tensors.find("early_stopping/params");
  const auto moving = state.tensors.find("early_stopping/state");
  if (config_.restore_best_weights && params != state.tensors.end() &&
      moving != state.tensors.end())
    best_weights_ = Weights{{params->second.begin(), params->second.end()},
                            {moving->second.begin(), moving->second.end()}};
}

ModelCheckpointCallback::ModelCheckpointCallback(const ModelCheckpoint& config,
                                                 bool have_validation, SaveFunction save)
    : config_(config),
      monitor_(config.monitor, config.mode, 0.0, have_validation || !config.save_best_only),
      best_(monitor_.worst()),
      save_(std::move(save)) {}

bool ModelCheckpointCallback::on_epoch_end(const EpochLog& log, Trainer&) {
  const std::string path = checkpoint_path(config_.filepath, log);
  if (config_.save_best_only) {
    const double current = monitor_.value(log);
    if (!monitor_.improves(current, best_)) {
      fmt::print("Epoch {}: {} did not improve from {:.5f}\n", log.epoch, monitor_.metric(), best_);
      return true;
    }
    if (std::isinf(best_))
      fmt::print("Epoch {}: {} improved to {:.5f}, saving the model to {}\n", log.epoch,
                 monitor_.metric(), current, path);
    else
      fmt::print("Epoch {}: {} improved from {:.5f} to {:.5f}, saving the model to {}\n", log.epoch,
                 monitor_.metric(), best_, current, path);
    best_ = current;
  } else {
    fmt::print("Epoch {}: saving the model to {}\n", log.epoch, path);
  }
  save_(path, config_.save_weights_only, log.epoch);
  return true;
}

void ModelCheckpointCallback::save_state(CallbackState& state) const {
  // Saving every epoch, it remembers nothing.
  if (config_.save_best_only) state.values["model_checkpoint"] = {{"best", best_value(best_)}};
}

void ModelCheckpointCallback::restore_state(const CallbackState& state) {
  if (const nlohmann::json* mine = part(state, "model_checkpoint"))
    best_ = best_or(*mine, monitor_.worst());
}

ReduceLROnPlateauCallback::ReduceLROnPlateauCallback(const ReduceLROnPlateau& config,
                                                     bool have_validation)
    : config_(config),
      monitor_(config.monitor, config.mode, config.min_delta, have_validation),
      best_(monitor_.worst()) {
  if (!(config.factor > 0.0 && config.factor < 1.0))
    throw Error(fmt::format("ReduceLROnPlateau factor must be in (0, 1), got {}", config.factor));
}

bool ReduceLROnPlateauCallback::on_epoch_end(const EpochLog& log, Trainer& trainer) {
  const double current = monitor_.value(log);
  if (monitor_.improves(current, best_)) {
    best_ = current;
    wait_ = 0;
    return true;
  }
  if (++wait_ < config_.patience) return true;
  const float old_lr = trainer.optimizer().learning_rate();
  if (old_lr > static_cast<float>(config_.min_lr)) {  // in float, as the rate is held
    const double new_lr = std::max(old_lr * config_.factor, config_.min_lr);
    trainer.optimizer().set_learning_rate(static_cast<float>(new_lr));
    fmt::print("Epoch {}: ReduceLROnPlateau reducing learning rate to {:g}\n", log.epoch, new_lr);
  }
  wait_ = 0;
  return true;
}

void ReduceLROnPlateauCallback::save_state(CallbackState& state) const {
  state.values["reduce_lr_on_plateau"] = {{"best", best_value(best_)}, {"wait", wait_}};
}

void ReduceLROnPlateauCallback::restore_state(const CallbackState& state) {
  if (const nlohmann::json* mine = part(state, "reduce_lr_on_plateau")) {
    best_ = best_or(*mine, monitor_.worst());
    wait_ = mine->at("wait").get<int>();
  }
}

std::string checkpoint_path(std::string_view pattern, const EpochLog& log) {
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  args.push_back(fmt::arg("epoch", log.epoch));
  args.push_back(fmt::arg("loss", log.loss));
  args.push_back(fmt::arg("accuracy", log.accuracy));
  args.push_back(fmt::arg("val_loss", log.val_loss.value_or(std::nan(""))));
  args.push_back(fmt::arg("val_accuracy", log.val_accuracy.value_or(std::nan(""))));
  try {
    return fmt::vformat(pattern, args);
  } catch (const fmt::format_error& e) {
    throw Error(
        fmt::format("checkpoint path '{}': {} (fields: epoch, loss, accuracy, val_loss, "
                    "val_accuracy)",
                    pattern, e.what()));
  }
}

}  // namespace cnn::runtime
