#!/usr/bin/python3
"""The benchmark's models in PyTorch (Debian's python3-torch, CPU), as the Keras tutorials
declare them: the same layers, glorot-uniform initialization, optimizer with Keras's
defaults, batch and thread count as ours. Prints one JSON object in the shape
NAME_throughput prints.
Usage: pytorch_models.py MODEL THREADS BATCH STEPS LAYOUT OPTIMIZER
       pytorch_models.py sgemm THREADS      (the BLAS's sgemm rate at 2048^3, GFLOP/s)"""
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn


def mnist_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10)), (1, 28, 28)


def cifar_deep():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Flatten(),
        nn.Linear(4096, 128), nn.ReLU(), nn.Linear(128, 10)), (3, 32, 32)


def vgg16_cifar():
    """examples/vgg16_cifar.hpp: VGG16's convolution blocks (torchvision's, the same layers
    as Keras's) on 32x32 images, global average pooling, Dense(128, relu), Dense(10)."""
    import torchvision
    return nn.Sequential(
        torchvision.models.vgg16(weights=None).features, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, 10)), (3, 32, 32)


def keras_init(model):
    """Keras's defaults: glorot-uniform kernels, zero biases."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def keras_optimizer(name, params, lr=None):
    """Keras's RMSprop, Adam or Adadelta with its default rate, rho and epsilon."""
    return {"rmsprop": lambda p: torch.optim.RMSprop(p, lr=lr or 0.001, alpha=0.9, eps=1e-7),
            "adam": lambda p: torch.optim.Adam(p, lr=lr or 0.001, eps=1e-7),
            "adadelta": lambda p: torch.optim.Adadelta(p, lr=lr or 0.001, rho=0.95, eps=1e-7),
            }[name](params)


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def sgemm(threads):
    torch.set_num_threads(threads)
    a, b = torch.rand(2048, 2048), torch.rand(2048, 2048)
    for _ in range(2):
        a @ b
    runs = [timed(lambda: a @ b) for _ in range(5)]
    print(json.dumps({"impl": "sgemm", "threads": threads,
                      "gflops": round(2 * 2048 ** 3 / statistics.median(runs) / 1e9, 1)}))


def bench(name, threads, batch, steps, layout, optimizer):
    if steps < 5:
        sys.exit(f"pytorch_models.py: STEPS must be at least 5 (five timed runs), not {steps}")
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
    model, shape = {"mnist_cnn": mnist_cnn, "cifar_deep": cifar_deep,
                    "vgg16_cifar": vgg16_cifar}[name]()
    model = model.to(memory_format=fmt)
    keras_init(model)
    opt = keras_optimizer(optimizer, model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    samples = max(batch, 128) * 8
    x = torch.rand(samples, *shape).contiguous(memory_format=fmt)
    y = torch.randint(0, 10, (samples,))

    def step(i):
        s = (i % 8) * batch
        opt.zero_grad()
        loss_fn(model(x[s:s + batch]), y[s:s + batch]).backward()
        opt.step()

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
        lat = [timed(lambda: [model(x[i % samples:i % samples + 1]) for i in range(200)]) / 200
               for _ in range(5)]
    step_s = statistics.median(runs)
    infer_s = statistics.median(infer)
    print(json.dumps({
        "impl": "pytorch-" + layout, "model": name, "threads": threads, "batch": batch,
        "train_images_per_second": round(batch / step_s, 1),
        "train_spread": round((max(runs) - min(runs)) / step_s, 3),
        "infer_images_per_second": round(128 / infer_s, 1),
        "infer_spread": round((max(infer) - min(infer)) / infer_s, 3),
        "latency_ms": round(statistics.median(lat) * 1000, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    if sys.argv[1] == "sgemm":
        sgemm(int(sys.argv[2]))
    else:
        bench(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
              sys.argv[6])
