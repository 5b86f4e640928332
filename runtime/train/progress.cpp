#include "runtime/train/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace cnn::runtime {

namespace {
constexpr int kBarWidth = 30;
constexpr const char* kClearToEnd = "\033[K";  // a shorter redraw leaves no remnants
double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
std::string duration_text(double s) {
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", int(s) / 3600, int(s) / 60 % 60, int(s) % 60);
  if (s >= 60) return fmt::format("{}:{:02}", int(s) / 60, int(s) % 60);
  return fmt::format("{}s", int(s));
}
}  // namespace

Progress::Progress(std::FILE* out, bool interactive) : out_(out), interactive_(interactive) {}

Progress Progress::for_stdout() { return Progress(stdout, isatty(fileno(stdout)) != 0); }

void Progress::start_epoch(int epoch, int epochs, long long steps) {
  steps_ = steps;
  start_ = last_draw_ = std::chrono::steady_clock::now();
  fmt::print(out_, "Epoch {}/{}\n", epoch, epochs);
  std::fflush(out_);
}

std::string Progress::bar(long long step) const {
  const int digits = static_cast<int>(std::to_string(steps_).size());
  const int filled = steps_ > 0 ? static_cast<int>(kBarWidth * step / steps_) : kBarWidth;
  std::string b(static_cast<std::size_t>(filled), '=');
  if (filled < kBarWidth) {
    if (filled > 0) b.back() = '>';
    b.append(static_cast<std::size_t>(kBarWidth - filled), '.');
  }
  return fmt::format("{:>{}}/{} [{}]", step, digits, steps_, b);
}

void Progress::update(long long step, double loss, double accuracy) {
  if (!interactive_) return;
  // The first and last steps are always drawn; in between, at most ten times a second.
  if (step > 1 && step < steps_ && seconds_since(last_draw_) < 0.1) return;
  last_draw_ = std::chrono::steady_clock::now();
  const double elapsed = seconds_since(start_);
  const double eta = step > 0 ? elapsed / step * (steps_ - step) : 0.0;
  fmt::print(out_, "\r{} - ETA: {} - loss: {:.4f} - accuracy: {:.4f}{}", bar(step),
             duration_text(eta), loss, accuracy, kClearToEnd);
  std::fflush(out_);
}

void Progress::end_epoch(long long steps_done, double loss, double accuracy,
                         const std::string& extra) {
  const double elapsed = seconds_since(start_);
  const double per_step_ms = steps_done > 0 ? elapsed * 1000.0 / steps_done : 0.0;
  fmt::print(out_, "{}{} - {} {:.0f}ms/step - loss: {:.4f} - accuracy: {:.4f}{}{}\n",
             interactive_ ? "\r" : "", bar(steps_done), duration_text(elapsed), per_step_ms, loss,
             accuracy, extra, interactive_ ? kClearToEnd : "");
  std::fflush(out_);
}

void Progress::finish_line() {
  if (interactive_) fmt::print(out_, "\n");
  std::fflush(out_);
}

void Progress::note(const std::string& line) {
  fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

}  // namespace cnn::runtime
