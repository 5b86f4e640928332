// How a generated step is compared: with the reference, and with finite differences of its
// own loss, tensor by tensor.
#pragma once

#include <cmath>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/model/memory.hpp"
#include "runtime/model/model_info.hpp"

namespace cnn::tests {

// ||got - want|| / ||want||; below `floor`, ||want|| counts as `floor`, so that a gradient
// that is exactly zero (a bias right before BatchNormalization) is compared absolutely.
template <class A, class B>
double relative_error(const std::vector<A>& got, const std::vector<B>& want, double floor = 1e-12) {
  double diff = 0, norm = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    diff += (double(got[i]) - double(want[i])) * (double(got[i]) - double(want[i]));
    norm += double(want[i]) * double(want[i]);
  }
  return std::sqrt(diff) / std::max(std::sqrt(norm), floor);
}

// One tensor's generated gradient against its central differences.
struct DifferenceCheck {
  std::string tensor;
  double error = 0;  // ||generated - numeric|| / ||numeric||
  double numeric_norm = 0;
  double generated_norm = 0;
};

// Central differences (step h) of `loss(params)` for every `stride`-th parameter, compared
// with `gradients` tensor by tensor. Relative to the numeric gradient's norm, so that a
// gradient that is zero, or half of what it should be, is an error of 1 or 0.5 whatever
// the tensor's scale. With `per_tensor`, a larger tensor is sampled at an odd stride that
// takes about that many of its parameters (an even one could keep to a few channels).
// With `only_tensor`, that tensor alone.
std::vector<DifferenceCheck> check_differences(
    const runtime::ModelInfo& m, runtime::AlignedFloats params, std::span<const float> gradients,
    const std::function<double(const runtime::AlignedFloats&)>& loss, std::size_t stride = 1,
    float h = 1e-3f, std::size_t per_tensor = 0, std::string_view only_tensor = {});

}  // namespace cnn::tests
