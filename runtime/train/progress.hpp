// Keras's training progress: on a terminal, a bar redrawn in place with ETA, loss and
// accuracy; otherwise one line per epoch.
//   Epoch 1/12
//   375/375 [==============================] - 9s 24ms/step - loss: 0.2106 - accuracy: 0.9361
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace cnn::runtime {

class Progress {
 public:
  explicit Progress(std::FILE* out, bool interactive);
  static Progress for_stdout();  // interactive when stdout is a terminal

  void start_epoch(int epoch, int epochs, long long steps);
  void update(long long step, double loss, double accuracy);
  // Ends the epoch's line after `steps_done` steps with `extra` (validation metrics).
  void end_epoch(long long steps_done, double loss, double accuracy, const std::string& extra);
  // Ends a bar left mid-epoch (training interrupted), so that what follows starts a line.
  void finish_line();
  // A line of its own between epochs (what the trainer decided, and why).
  void note(const std::string& line);

 private:
  std::string bar(long long step) const;
  std::FILE* out_;
  bool interactive_;
  long long steps_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace cnn::runtime
