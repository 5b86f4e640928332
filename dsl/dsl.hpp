// The model language: include this to declare and check a model.
#pragma once

#include "check.hpp"
#include "layers.hpp"
#include "model.hpp"
#include "model_dot.hpp"
#include "summary.hpp"
