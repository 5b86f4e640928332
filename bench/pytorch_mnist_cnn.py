#!/usr/bin/python3
"""The same mnist_cnn in PyTorch (Debian's python3-torch, CPU): Keras's layers and
initializers, RMSprop with Keras's defaults, the same batch and thread count. Prints one
JSON object in the shape bench/mnist_cnn_throughput prints."""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 128
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 60
layout = sys.argv[4] if len(sys.argv) > 4 else "nchw"
torch.set_num_threads(threads)
torch.manual_seed(1)
fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format

model = nn.Sequential(
    nn.Conv2d(1, 32, 3), nn.ReLU(),
    nn.Conv2d(32, 64, 3), nn.ReLU(),
    nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
    nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(128, 10)).to(memory_format=fmt)
for m in model.modules():
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)
opt = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
loss_fn = nn.CrossEntropyLoss()
x = torch.rand(batch * 8, 1, 28, 28).contiguous(memory_format=fmt)
y = torch.randint(0, 10, (batch * 8,))


def step(i):
    s = (i % 8) * batch
    opt.zero_grad()
    loss = loss_fn(model(x[s:s + batch]), y[s:s + batch])
    loss.backward()
    opt.step()


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


model.train()
for i in range(5):
    step(i)
runs = [timed(lambda: [step(i) for i in range(steps // 5)]) / (steps // 5) for _ in range(5)]
model.eval()
with torch.no_grad():
    xb = x[:128]
    for _ in range(3):
        model(xb)
    infer = [timed(lambda: [model(xb) for _ in range(10)]) / 10 for _ in range(5)]
    for i in range(20):
        model(x[i:i + 1])
    lat = [timed(lambda: [model(x[i % len(x):i % len(x) + 1]) for i in range(200)]) / 200 for _ in range(5)]
step_s = statistics.median(runs)
print(json.dumps({
    "impl": "pytorch-" + layout, "model": "mnist_cnn", "threads": threads, "batch": batch,
    "train_images_per_second": round(batch / step_s, 1),
    "train_spread": round((max(runs) - min(runs)) / step_s, 3),
    "infer_images_per_second": round(128 / statistics.median(infer), 1),
    "latency_ms": round(statistics.median(lat) * 1000, 3)}))
