// The layer kinds: each defined in its own file under dsl/layers/, and registered here once.
//
// Registering a kind is one #include and one line of CNN_LAYER_KINDS (its struct and the
// name of its enumerator and Node member). From this list come LayerKind, the Node that
// holds any kind, and every dispatch over kinds: shape inference, parameters, diagnostics,
// codegen's forward and backward rules (codegen/rules/<kind>.cpp), the test reference
// (tests/reference/layers/<kind>.cpp) and the per-kind tests (tests/codegen/layer_cases.hpp).
// Saved files never depend on this order: they name kinds by keras_class.
#pragma once

#include "layers/activation.hpp"
#include "layers/add.hpp"
#include "layers/average_pooling2d.hpp"
#include "layers/batch_normalization.hpp"
#include "layers/concatenate.hpp"
#include "layers/conv2d.hpp"
#include "layers/dense.hpp"
#include "layers/dropout.hpp"
#include "layers/flatten.hpp"
#include "layers/global_average_pooling2d.hpp"
#include "layers/global_max_pooling2d.hpp"
#include "layers/input.hpp"
#include "layers/max_pooling2d.hpp"
#include "layers/random_flip.hpp"
#include "layers/random_rotation.hpp"
#include "layers/random_translation.hpp"
#include "layers/random_zoom.hpp"
#include "layers/zero_padding2d.hpp"

#define CNN_LAYER_KINDS(X)                            \
  X(Input, input)                                     \
  X(Conv2D, conv2d)                                   \
  X(MaxPooling2D, max_pooling2d)                      \
  X(AveragePooling2D, average_pooling2d)              \
  X(GlobalAveragePooling2D, global_average_pooling2d) \
  X(GlobalMaxPooling2D, global_max_pooling2d)         \
  X(Flatten, flatten)                                 \
  X(Dense, dense)                                     \
  X(Dropout, dropout)                                 \
  X(BatchNormalization, batch_normalization)          \
  X(Activation, activation)                           \
  X(RandomFlip, random_flip)                          \
  X(RandomTranslation, random_translation)            \
  X(RandomRotation, random_rotation)                  \
  X(RandomZoom, random_zoom)                          \
  X(Add, add)                                         \
  X(Concatenate, concatenate)                         \
  X(ZeroPadding2D, zero_padding2d)
