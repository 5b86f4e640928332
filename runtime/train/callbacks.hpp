// Keras's training callbacks: EarlyStopping, ModelCheckpoint and ReduceLROnPlateau, run by
// Trainer::fit after each epoch, configured by the recipe's structs (dsl/recipe.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dsl/recipe.hpp"
#include "runtime/train/trainer.hpp"

namespace cnn::runtime {

// What callbacks carry across an interruption, so that a resumed fit goes on as the
// uninterrupted one would (Keras starts them afresh): each callback's numbers under its
// name, and its tensors named "<name>/<tensor>".
struct CallbackState {
  nlohmann::json values = nlohmann::json::object();
  std::map<std::string, std::vector<float>> tensors;
};

class Callback {
 public:
  virtual ~Callback() = default;
  // Returns false to stop training after this epoch.
  virtual bool on_epoch_end(const EpochLog& log, Trainer& trainer) = 0;
  virtual void on_train_end(Trainer&) {}
  // A callback with a memory of past epochs writes it into `state`, and takes it back from a
  // resumed run's (where it may be missing: a file saved without it, or the callback new).
  virtual void save_state(CallbackState&) const {}
  virtual void restore_state(const CallbackState&) {}
};

// A monitored metric: which one, whether lower or higher is better, and by how much a
// value must beat the best to count as an improvement.
class Monitor {
 public:
  // mode "auto" means max for accuracies, min otherwise. Throws Error for an unknown metric
  // or mode, and for a val_ metric when there is no validation set.
  Monitor(std::string_view metric, std::string_view mode, double min_delta, bool have_validation);
  double value(const EpochLog& log) const;
  bool improves(double value, double best) const;
  double worst() const;
  const std::string& metric() const { return metric_; }

 private:
  std::string metric_;
  bool higher_is_better_ = false;
  double min_delta_ = 0;
};

class EarlyStoppingCallback : public Callback {
 public:
  EarlyStoppingCallback(const EarlyStopping& config, bool have_validation);
  bool on_epoch_end(const EpochLog& log, Trainer& trainer) override;
  // Puts the best epoch's weights back when restore_best_weights asks for them.
  void on_train_end(Trainer& trainer) override;
  void save_state(CallbackState& state) const override;
  void restore_state(const CallbackState& state) override;
  std::optional<int> stopped_epoch() const { return stopped_epoch_; }

 private:
  EarlyStopping config_;
  Monitor monitor_;
  double best_;
  int best_epoch_ = 0, last_epoch_ = 0, wait_ = 0;
  std::optional<int> stopped_epoch_;
  std::optional<Weights> best_weights_;
};

// Writes a checkpoint after `epoch` epochs: the trainer's whole state, or its weights alone.
using SaveFunction = std::function<void(const std::string& path, bool weights_only, int epoch)>;

class ModelCheckpointCallback : public Callback {
 public:
  ModelCheckpointCallback(const ModelCheckpoint& config, bool have_validation, SaveFunction save);
  bool on_epoch_end(const EpochLog& log, Trainer& trainer) override;
  void save_state(CallbackState& state) const override;
  void restore_state(const CallbackState& state) override;

 private:
  ModelCheckpoint config_;
  Monitor monitor_;
  double best_;
  SaveFunction save_;
};

class ReduceLROnPlateauCallback : public Callback {
 public:
  ReduceLROnPlateauCallback(const ReduceLROnPlateau& config, bool have_validation);
  bool on_epoch_end(const EpochLog& log, Trainer& trainer) override;
  void save_state(CallbackState& state) const override;
  void restore_state(const CallbackState& state) override;

 private:
  ReduceLROnPlateau config_;
  Monitor monitor_;
  double best_;
  int wait_ = 0;
};

// The checkpoint path for this epoch: {epoch}, {loss}, {accuracy}, {val_loss},
// {val_accuracy} replaced, with Python-style format specs ("{epoch:02d}").
std::string checkpoint_path(std::string_view pattern, const EpochLog& log);

}  // namespace cnn::runtime
