#!/usr/bin/python3
"""The tutorials' MNIST and Fashion-MNIST models (fashion_aug with Keras's per-sample
RandomRotation) trained in PyTorch (Debian's python3-torch, CPU) with the recipes of
examples/NAME_recipe.hpp, for the accuracy beside ours on the same data:
Keras's semantics throughout (the last fraction held out for validation before shuffling,
glorot-uniform kernels, zero biases, Adam's epsilon 1e-7, batch normalization's momentum 0.99
and epsilon 1e-3, EarlyStopping restoring the best weights). Prints one JSON object.
Usage: pytorch_tutorials.py MODEL DATA_DIR THREADS [SEED]"""
import copy
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_models import keras_init, keras_optimizer, mnist_cnn


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, part):
    def find(stem):
        for name in (stem, stem + ".gz"):
            if os.path.exists(os.path.join(data_dir, name)):
                return os.path.join(data_dir, name)
        sys.exit(f"pytorch_tutorials.py: no {stem}[.gz] in {data_dir}")
    images = read_idx(find(f"{part}-images-idx3-ubyte")).astype(np.float32) / 255.0
    labels = read_idx(find(f"{part}-labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)


class RandomRotation(nn.Module):
    """Keras's RandomRotation(factor): in training, each sample turned about its centre by its
    own angle, uniform in [-factor, factor] of a full turn, bilinear, fill_mode "reflect"
    (grid_sample's reflection about the image's border, align_corners=False); the identity
    in inference. The images are square here, so normalized coordinates rotate as pixels do."""

    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def forward(self, x):
        if not self.training:
            return x
        angle = (torch.rand(x.shape[0]) * 2 - 1) * self.factor * 2 * np.pi
        cos, sin = torch.cos(angle), torch.sin(angle)
        zero = torch.zeros_like(angle)
        theta = torch.stack([torch.stack([cos, sin, zero], 1), torch.stack([-sin, cos, zero], 1)], 1)
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        return F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def batch_norm(channels, two_d):
    # Keras: moving = 0.99 moving + 0.01 batch; PyTorch's momentum weighs the batch.
    return (nn.BatchNorm2d if two_d else nn.BatchNorm1d)(channels, eps=1e-3, momentum=0.01)


# name: (layers, recipe) as in examples/NAME.hpp and examples/NAME_recipe.hpp.
MODELS = {
    "mnist_cnn": (lambda: list(mnist_cnn()[0]),
        dict(optimizer="rmsprop", epochs=12, batch=128, validation=0.2)),
    "mnist_bn": (lambda: [
        nn.Conv2d(1, 64, 5, stride=2), batch_norm(64, True), nn.ReLU(), nn.Flatten(),
        nn.Linear(64 * 12 * 12, 128), batch_norm(128, False), nn.ReLU(), nn.Linear(128, 10)],
        dict(optimizer="adam", epochs=5, batch=128, validation=0.1)),
    "lenet5": (lambda: [
        nn.ZeroPad2d(2), nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(6, 16, 5),
        nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.Tanh(),
        nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10)],
        dict(optimizer="adam", epochs=10, batch=128, validation=0.1)),
    "fashion_cnn": (lambda: [
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(64 * 7 * 7, 100), nn.ReLU(), nn.Dropout(0.4), nn.Linear(100, 10)],
        dict(optimizer="adam", epochs=20, batch=128, validation=0.2, patience=2)),
    "fashion_aug": (lambda: [
        RandomRotation(0.2),
        nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), batch_norm(64, True), nn.Dropout(0.25),
        nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.Conv2d(128, 128, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), batch_norm(128, True), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(128 * 7 * 7, 10)],
        dict(optimizer="adam", epochs=10000, batch=32, validation=0.2, patience=5)),
}


def evaluate(model, x, y, batch=1000):
    model.eval()
    loss, hits = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(x), batch):
            logits = model(x[s:s + batch])
            loss += F.cross_entropy(logits, y[s:s + batch], reduction="sum").item()
            hits += (logits.argmax(1) == y[s:s + batch]).sum().item()
    return loss / len(x), hits / len(x)


def main():
    name, data_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    if name not in MODELS:
        sys.exit(f"pytorch_tutorials.py: unknown model {name} (known: {', '.join(MODELS)})")
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    layers, recipe = MODELS[name]
    model = nn.Sequential(*layers())
    keras_init(model)
    x, y = load(data_dir, "train")
    x_test, y_test = load(data_dir, "t10k")
    held_out = int(len(x) * recipe["validation"])
    x_val, y_val, x, y = x[-held_out:], y[-held_out:], x[:-held_out], y[:-held_out]
    opt = keras_optimizer(recipe["optimizer"], model.parameters())
    best, best_state, since_best, history = float("inf"), None, 0, []
    started = time.perf_counter()
    for epoch in range(recipe["epochs"]):
        t0 = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(x)).split(recipe["batch"]):
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
        val_loss, val_accuracy = evaluate(model, x_val, y_val)
        history.append({"epoch": epoch + 1, "val_loss": round(val_loss, 4),
                        "val_accuracy": round(val_accuracy, 4),
                        "seconds": round(time.perf_counter() - t0, 1)})
        print(json.dumps(history[-1]), file=sys.stderr)
        if "patience" in recipe:
            if val_loss < best:
                best, best_state, since_best = val_loss, copy.deepcopy(model.state_dict()), 0
            else:
                since_best += 1
                if since_best >= recipe["patience"]:
                    break
    if best_state is not None:
        model.load_state_dict(best_state)
    test_loss, test_accuracy = evaluate(model, x_test, y_test)
    print(json.dumps({"impl": "pytorch", "model": name, "threads": threads, "seed": seed,
                      "epochs": len(history), "test_loss": round(test_loss, 4),
                      "test_accuracy": round(test_accuracy, 4),
                      "seconds_per_epoch": round(sum(h["seconds"] for h in history) / len(history), 1),
                      "seconds": round(time.perf_counter() - started, 1)}))


main()
