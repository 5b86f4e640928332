#!/usr/bin/python3
"""Keras's applications in PyTorch (Debian's python3-torch and python3-torchvision, CPU, random
weights), beside bench/throughput.cpp's train-only and infer-only figures for ours
(bench/compare_applications.sh runs both).

Models, as issue 18 compares them:
  inception_v3_finetune  train: torchvision's InceptionV3 (no auxiliary head) at 299x299, a
      new Dense(3) head after global average pooling. Keras's tutorial freezes the first 213
      of its layers, which ends inside mixed7 (torchvision's Mixed_6e); torchvision's modules
      do not split there, so FROZEN brackets it: Mixed_6d (more of the model learns than in
      ours) or Mixed_6e (less learns); none trains everything.
  vgg16_transfer  train: VGG16's features (to block5_pool) on 32x32, frozen, then global
      average pooling, Dense(128, relu), Dense(10), as examples/vgg16_transfer.hpp.
  resnet50  train: ResNet50 at 224x224, every layer learning.
  vgg16, resnet50, inception_v3  infer: with their ImageNet tops, at 224, 224 and 299.
Training: Adam (Keras's epsilon), cross-entropy; frozen modules in eval mode (BatchNormalization
with its moving statistics, as Keras's frozen layers) with requires_grad=False. Inference in
eval mode under torch.inference_mode. Four batches of synthetic data, as ours holds.
Usage: pytorch_applications.py MODEL train|infer THREADS BATCH STEPS nchw|channels_last [FROZEN]
prints one JSON object."""
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torchvision


def inception_v3(classes):
    return torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False,
                                           num_classes=classes)


def frozen_through(model, last):
    """The children of model up to and including the one named last."""
    if last == "none":
        return []
    frozen = []
    for name, module in model.named_children():
        frozen.append(module)
        if name == last:
            return frozen
    sys.exit(f"pytorch_applications.py: {type(model).__name__} has no module {last}")


class VGG16Transfer(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torchvision.models.vgg16(weights=None).features
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 128),
                                  nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.head(self.features(x))


def model_of(name, mode, frozen):
    """(model, frozen modules, input side, classes)"""
    if mode == "train" and name == "inception_v3_finetune":
        model = inception_v3(3)
        return model, frozen_through(model, frozen), 299, 3
    if mode == "train" and name == "vgg16_transfer":
        model = VGG16Transfer()
        return model, [model.features], 32, 10
    if name == "resnet50":
        return torchvision.models.resnet50(weights=None), [], 224, 1000
    if mode == "infer" and name == "vgg16":
        return torchvision.models.vgg16(weights=None), [], 224, 1000
    if mode == "infer" and name == "inception_v3":
        return inception_v3(1000), [], 299, 1000
    sys.exit(f"pytorch_applications.py: no {mode} benchmark of {name}")


def timed(f, steps):
    runs = []
    for i in range(steps):
        t0 = time.perf_counter()
        f(i)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), (max(runs) - min(runs)) / statistics.median(runs)


def bench(name, mode, threads, batch, steps, layout, frozen):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model, frozen_modules, side, classes = model_of(name, mode, frozen)
    memory_format = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    for module in frozen_modules:
        for p in module.parameters():
            p.requires_grad = False
    x = torch.rand(batch * 4, 3, side, side).to(memory_format=memory_format)
    y = torch.randint(0, classes, (batch * 4,))
    result = {"impl": "pytorch", "model": name, "mode": mode, "layout": layout,
              "threads": threads, "batch": batch}

    if mode == "train":
        opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3,
                               eps=1e-7)
        loss_fn = nn.CrossEntropyLoss()
        model.train()
        for module in frozen_modules:
            module.eval()

        def step(i):
            s = (i % 4) * batch
            opt.zero_grad()
            loss_fn(model(x[s:s + batch]), y[s:s + batch]).backward()
            opt.step()

        for i in range(2):
            step(i)
        step_s, spread = timed(step, steps)
        result.update({"frozen_through": frozen if name == "inception_v3_finetune" else None,
                       "train_images_per_second": round(batch / step_s, 2),
                       "step_ms": round(step_s * 1000, 1), "train_spread": round(spread, 3),
                       "trainable_params":
                           sum(p.numel() for p in model.parameters() if p.requires_grad)})
    else:
        model.eval()

        def predict(i):
            s = (i % 4) * batch
            with torch.inference_mode():
                torch.softmax(model(x[s:s + batch]), dim=1)

        predict(0)
        batch_s, spread = timed(predict, steps)
        result.update({"infer_images_per_second": round(batch / batch_s, 2),
                       "batch_ms": round(batch_s * 1000, 1), "infer_spread": round(spread, 3)})
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) not in (7, 8) or sys.argv[2] not in ("train", "infer") or \
            sys.argv[6] not in ("nchw", "channels_last"):
        sys.exit(__doc__)
    bench(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
          sys.argv[6], sys.argv[7] if len(sys.argv) == 8 else "none")
