// Keras's progress: one line per epoch off a terminal; a bar redrawn in place on one.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "runtime/train/progress.hpp"

using cnn::runtime::Progress;

namespace {
std::string captured(bool interactive) {
  std::FILE* f = std::tmpfile();
  Progress p(f, interactive);
  p.start_epoch(1, 12, 375);
  for (int s = 1; s <= 375; ++s) p.update(s, 0.5, 0.75);
  p.end_epoch(375, 0.2106, 0.9361, " - val_loss: 0.0600 - val_accuracy: 0.9820");
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  std::fclose(f);
  return text;
}
}  // namespace

TEST_CASE("off a terminal, an epoch is two lines, as Keras writes them to a log") {
  const std::string text = captured(false);
  CHECK(text.rfind("Epoch 1/12\n375/375 [==============================] - ", 0) == 0);
  CHECK(text.find("ms/step - loss: 0.2106 - accuracy: 0.9361 - val_loss: 0.0600 - "
                  "val_accuracy: 0.9820\n") != std::string::npos);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find("ETA") == std::string::npos);
}

TEST_CASE("on a terminal, the bar is redrawn in place with an ETA") {
  const std::string text = captured(true);
  CHECK(text.find("\r  1/375 [") != std::string::npos);  // the first step is always drawn
  CHECK(text.find(" - ETA: ") != std::string::npos);
  CHECK(text.find("\r375/375 [==============================] - ") != std::string::npos);
  CHECK(text.find("accuracy: 0.7500\033[K") != std::string::npos);  // no remnants of longer lines
}
