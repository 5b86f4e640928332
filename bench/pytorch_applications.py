#!/usr/bin/python3
"""Keras's applications' training steps in PyTorch (Debian's python3-torch and
python3-torchvision, CPU), beside bench/throughput.cpp's train-only figures for ours.

inception_v3_finetune: torchvision's InceptionV3 (no auxiliary head) at 299x299, a new
Dense(3) head after global average pooling, Adam 1e-3. Keras's tutorial freezes the first 213
of its layers, which ends inside mixed7 (torchvision's Mixed_6e); torchvision's modules do not
split there, so two variants bracket it: FROZEN=Mixed_6d (frozen through Mixed_6d: more of the
model learns than in ours) and FROZEN=Mixed_6e (less learns). Frozen modules are in eval mode
(BatchNormalization with its moving statistics, as Keras's frozen layers) with
requires_grad=False. FROZEN=none trains everything.
Usage: pytorch_applications.py MODEL THREADS BATCH STEPS FROZEN; prints one JSON object."""
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torchvision


def inception_v3(frozen):
    model = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False)
    model.fc = nn.Linear(2048, 3)
    frozen_modules = []
    if frozen != "none":
        for name, module in model.named_children():
            frozen_modules.append(module)
            if name == frozen:
                break
        else:
            sys.exit(f"pytorch_applications.py: InceptionV3 has no module {frozen}")
    for module in frozen_modules:
        for p in module.parameters():
            p.requires_grad = False
    return model, frozen_modules


def bench(name, threads, batch, steps, frozen):
    if name != "inception_v3_finetune":
        sys.exit(f"pytorch_applications.py: unknown model {name}")
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model, frozen_modules = inception_v3(frozen)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch * 4, 3, 299, 299)
    y = torch.randint(0, 3, (batch * 4,))
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
    runs = []
    for i in range(steps):
        t0 = time.perf_counter()
        step(i)
        runs.append(time.perf_counter() - t0)
    step_s = statistics.median(runs)
    print(json.dumps({
        "impl": "pytorch", "model": name, "frozen_through": frozen, "threads": threads,
        "batch": batch, "train_images_per_second": round(batch / step_s, 2),
        "step_ms": round(step_s * 1000, 1),
        "train_spread": round((max(runs) - min(runs)) / step_s, 3),
        "trainable_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    bench(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
