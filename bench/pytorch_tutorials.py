#!/usr/bin/python3
"""The tutorials' models trained in PyTorch (Debian's python3-torch, CPU) with the recipes of
examples/NAME_recipe.hpp, for the accuracy beside ours on the same samples (keras_data.py reads
them as our trainers do): Keras's semantics throughout (the last fraction held out for
validation before shuffling, glorot-uniform kernels, zero biases, Adam's epsilon 1e-7,
Adadelta's rho 0.95, batch normalization's momentum 0.99 and epsilon 1e-3, EarlyStopping
restoring the best weights, per-sample RandomRotation). Prints one JSON object; each epoch
goes to stderr. With --state FILE, the run's whole state is saved there after each epoch
and a run that finds it continues from it.
Usage: pytorch_tutorials.py MODEL DATA_DIR THREADS [SEED] [--state FILE]"""
import argparse
import copy
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import keras_data
from pytorch_models import cifar_deep, keras_init, keras_optimizer, mnist_cnn


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
    "cifar_deep": (lambda: list(cifar_deep()[0]),
        dict(optimizer="adam", epochs=10, batch=128, validation=0.2)),
    "cifar_cnn": (lambda: [
        nn.Conv2d(3, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(0.25), nn.Flatten(), nn.Linear(64 * 14 * 14, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10)],
        dict(optimizer="adadelta", lr=1.0, epochs=10, batch=128, validate_on_test=True,
             resplit_test=0.2, resplit_seed=42, min_max_scale=True)),
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


def data(data_dir, recipe):
    """(train, validation, test) as tensors, prepared as the recipe says."""
    train, test = keras_data.load(data_dir)
    if "resplit_test" in recipe:
        train, test = keras_data.resplit(train, test, recipe["resplit_test"], recipe["resplit_seed"])
    if recipe.get("min_max_scale"):
        train, test = keras_data.min_max_scale(train, test)
    train, test = [tuple(map(torch.from_numpy, part)) for part in (train, test)]
    if recipe.get("validate_on_test"):
        return train, test, test
    held_out = int(len(train[0]) * recipe["validation"])
    return ((train[0][:-held_out], train[1][:-held_out]),
            (train[0][-held_out:], train[1][-held_out:]), test)


def save_atomically(state, path):
    torch.save(state, path + ".part")
    os.replace(path + ".part", path)


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("model", choices=MODELS)
    args.add_argument("data_dir")
    args.add_argument("threads", type=int)
    args.add_argument("seed", type=int, nargs="?", default=42)
    args.add_argument("--state", help="save the run's state here each epoch; resume from it")
    args.add_argument("--epochs", type=int,
                      help="stop after this many epochs (to time one; the recipe's otherwise)")
    args = args.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    layers, recipe = MODELS[args.model]
    if args.epochs:
        recipe = dict(recipe, epochs=args.epochs)
    model = nn.Sequential(*layers())
    keras_init(model)
    (x, y), (x_val, y_val), (x_test, y_test) = data(args.data_dir, recipe)
    opt = keras_optimizer(recipe["optimizer"], model.parameters(), recipe.get("lr"))
    run = dict(epoch=0, best=float("inf"), best_state=None, since_best=0, history=[])
    if args.state and os.path.exists(args.state):
        saved = torch.load(args.state)
        model.load_state_dict(saved.pop("model"))
        opt.load_state_dict(saved.pop("optimizer"))
        torch.set_rng_state(saved.pop("rng"))
        run = saved
        print(json.dumps({"resumed_after_epoch": run["epoch"]}), file=sys.stderr)
    history = run["history"]
    while run["epoch"] < recipe["epochs"] and not (
            "patience" in recipe and run["since_best"] >= recipe["patience"]):
        t0 = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(x)).split(recipe["batch"]):
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
        val_loss, val_accuracy = evaluate(model, x_val, y_val)
        run["epoch"] += 1
        history.append({"epoch": run["epoch"], "val_loss": round(val_loss, 4),
                        "val_accuracy": round(val_accuracy, 4),
                        "seconds": round(time.perf_counter() - t0, 1)})
        print(json.dumps(history[-1]), file=sys.stderr)
        if val_loss < run["best"]:
            run.update(best=val_loss, best_state=copy.deepcopy(model.state_dict()), since_best=0)
        else:
            run["since_best"] += 1
        if args.state:
            save_atomically(dict(run, model=model.state_dict(), optimizer=opt.state_dict(),
                                 rng=torch.get_rng_state()), args.state)
    if "patience" in recipe:  # EarlyStopping(restore_best_weights=True)
        model.load_state_dict(run["best_state"])
    test_loss, test_accuracy = evaluate(model, x_test, y_test)
    seconds = sorted(h["seconds"] for h in history)
    print(json.dumps({"impl": "pytorch", "model": args.model, "threads": args.threads,
                      "seed": args.seed, "epochs": len(history),
                      "best_epoch": min(history, key=lambda h: h["val_loss"])["epoch"],
                      "test_loss": round(test_loss, 4), "test_accuracy": round(test_accuracy, 4),
                      "median_seconds_per_epoch": seconds[len(seconds) // 2],
                      "seconds": round(sum(seconds), 1)}))


main()
