// The one exception the runtime throws for anything a user can fix: a bad flag, a missing
// or malformed file, a weights file of another model. Trainers print it on one line.
#pragma once

#include <stdexcept>
#include <string>

namespace cnn::runtime {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace cnn::runtime
