// VGG16 with its top, as the tutorial predicts with it: 224x224 images (resized as Keras's
// load_img(target_size=) does), 'caffe' preprocessing; `predict --top 3 --class-index
// imagenet_class_index.json` prints decode_predictions' top three.
#pragma once

#include "dsl/recipe.hpp"

namespace cnn::examples {

inline constexpr Recipe vgg16_recipe{.preprocess_input = "caffe"};

}  // namespace cnn::examples
