// The InceptionV3 fine-tuning tutorial's model: Keras's InceptionV3 without its top at
// 299x299, GlobalAveragePooling2D and Dense(3, softmax), its first 213 layers frozen (Keras's
// `for layer in model.layers[:213]: layer.trainable = False`; the cut falls inside mixed7).
// Its weights come from a pretrained InceptionV3 (--initial-weights or --transfer-from, by
// layer name: nsfwjs' Keras 2.2.4 one, scripts/fetch_nsfwjs.sh, holds the base's).
#pragma once

#include "examples/inception_v3.hpp"

namespace cnn::examples {

inline constexpr auto inception_v3_finetune =
    functional("inception_v3_finetune", [](Graph& g) {
      auto inputs = Input{299, 299, 3, "input_1"}(g);
      auto x = GlobalAveragePooling2D{}(inception_v3::features(inputs));
      return Model(inputs, Dense{.units = 3, .activation = softmax}(x));
    }).frozen_below(213);

static_assert(well_formed<inception_v3_finetune>);
static_assert(inception_v3_finetune.total_params() == 21'802'784 + 2048 * 3 + 3);

}  // namespace cnn::examples
