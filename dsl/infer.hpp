// Shape inference: a Node's output shape, parameters and MACs from its inputs, following
// Keras's rules; the first rule a node breaks comes back as a Diagnostic.
#pragma once

#include "diagnostic.hpp"
#include "node.hpp"

namespace cnn {

namespace detail {

constexpr Diagnostic fail(Error e, int layer, int got = 0, int limit = 0) {
  return Diagnostic{e, layer, got, limit};
}

// Output extent of one spatial axis, or a diagnostic when the window does not fit.
constexpr Diagnostic window_fits(int layer, int in, int window, int stride, Padding padding) {
  const int padded = in + total_padding(in, window, stride, padding);
  if (window > padded) return fail(Error::window_larger_than_input, layer, window, padded);
  return {};
}

constexpr Diagnostic infer_window(Node& n, const Shape& in, int layer) {
  if (in.rank != 3) return fail(Error::spatial_layer_after_flat, layer, in.rank, 3);
  if (n.strides.height < 1 || n.strides.width < 1)
    return fail(Error::zero_strides, layer,
                n.strides.height < 1 ? n.strides.height : n.strides.width, 1);
  if (auto d = window_fits(layer, in.height, n.window.height, n.strides.height, n.padding);
      !d.ok())
    return d;
  if (auto d = window_fits(layer, in.width, n.window.width, n.strides.width, n.padding); !d.ok())
    return d;
  n.output = Shape::image(output_extent(in.height, n.window.height, n.strides.height, n.padding),
                          output_extent(in.width, n.window.width, n.strides.width, n.padding),
                          in.channels);
  return {};
}

}  // namespace detail

// Infers `n` (at index `layer`) from the output shapes of its inputs.
constexpr Diagnostic infer(Node& n, const Shape* in, int layer) {
  using detail::fail;
  switch (n.kind) {
    case LayerKind::input: {
      const Shape& s = n.input_shape;
      if (s.height < 1 || s.width < 1 || s.channels < 1)
        return fail(Error::zero_input_size, layer, s.height < 1 ? s.height
                                                   : s.width < 1 ? s.width : s.channels, 1);
      n.output = s;
      return {};
    }
    case LayerKind::conv2d: {
      if (n.units < 1) return fail(Error::zero_filters, layer, n.units, 1);
      if (n.window.height < 1 || n.window.width < 1)
        return fail(Error::zero_kernel_size, layer,
                    n.window.height < 1 ? n.window.height : n.window.width, 1);
      const int cin = in[0].channels;
      if (auto d = detail::infer_window(n, in[0], layer); !d.ok()) return d;
      n.output.channels = n.units;
      const long long kernel = 1LL * n.window.height * n.window.width * cin * n.units;
      n.trainable_params = kernel + (n.use_bias ? n.units : 0);
      n.macs = kernel * n.output.height * n.output.width;
      return {};
    }
    case LayerKind::max_pooling2d:
    case LayerKind::average_pooling2d: {
      if (n.window.height < 1 || n.window.width < 1)
        return fail(Error::zero_pool_size, layer,
                    n.window.height < 1 ? n.window.height : n.window.width, 1);
      if (n.strides.unset()) n.strides = n.window;
      return detail::infer_window(n, in[0], layer);
    }
    case LayerKind::global_average_pooling2d:
      if (in[0].rank != 3) return fail(Error::spatial_layer_after_flat, layer, in[0].rank, 3);
      n.output = Shape::flat(in[0].channels);
      return {};
    case LayerKind::flatten:
      n.output = Shape::flat(static_cast<int>(in[0].elements()));
      return {};
    case LayerKind::dense: {
      if (n.units < 1) return fail(Error::zero_units, layer, n.units, 1);
      if (in[0].rank != 1) return fail(Error::dense_needs_flat_input, layer, in[0].rank, 1);
      n.output = Shape::flat(n.units);
      n.trainable_params = 1LL * in[0].channels * n.units + (n.use_bias ? n.units : 0);
      n.macs = 1LL * in[0].channels * n.units;
      return {};
    }
    case LayerKind::dropout:
      if (!(n.rate >= 0 && n.rate < 1))
        return fail(Error::dropout_rate_out_of_range, layer, static_cast<int>(n.rate * 1000), 1000);
      n.output = in[0];
      return {};
    case LayerKind::batch_normalization:
      if (!(n.momentum >= 0 && n.momentum <= 1) || !(n.epsilon > 0))
        return fail(Error::bad_batch_norm_arguments, layer, static_cast<int>(n.momentum * 1000),
                    1000);
      n.output = in[0];
      n.trainable_params = 2LL * in[0].channels;      // gamma, beta
      n.non_trainable_params = 2LL * in[0].channels;  // moving_mean, moving_variance
      return {};
    case LayerKind::activation:
      n.output = in[0];
      return {};
    case LayerKind::random_flip:
    case LayerKind::random_translation:
    case LayerKind::random_rotation:
    case LayerKind::random_zoom:
      if (in[0].rank != 3) return fail(Error::spatial_layer_after_flat, layer, in[0].rank, 3);
      n.output = in[0];
      return {};
    case LayerKind::add:
      if (n.input_count < 2) return fail(Error::merge_needs_two_inputs, layer, n.input_count, 2);
      for (int i = 1; i < n.input_count; ++i)
        if (!(in[i] == in[0]))
          return fail(Error::add_shape_mismatch, layer, static_cast<int>(in[i].elements()),
                      static_cast<int>(in[0].elements()));
      n.output = in[0];
      return {};
    case LayerKind::concatenate: {
      if (n.input_count < 2) return fail(Error::merge_needs_two_inputs, layer, n.input_count, 2);
      Shape out = in[0];
      for (int i = 1; i < n.input_count; ++i) {
        if (in[i].rank != in[0].rank || in[i].height != in[0].height ||
            in[i].width != in[0].width)
          return fail(Error::concatenate_shape_mismatch, layer, in[i].height, in[0].height);
        out.channels += in[i].channels;
      }
      n.output = out;
      return {};
    }
  }
  return {};
}

}  // namespace cnn
