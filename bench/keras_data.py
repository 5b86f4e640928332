"""The data sets as our trainers read them (runtime/data/), sample for sample, so that PyTorch
trains and validates on the very samples ours does: MNIST-style idx files, CIFAR-10's JPEG
class folders in our order (files sorted within sorted classes, then shuffled once with
std::mt19937_64(1337)), and the recipes' resplit (std::shuffle with std::mt19937_64(seed), as
libstdc++ draws it) and min-max scaling. Pixels in [0, 1], NCHW float32; labels int64."""
import gzip
import os
import sys

import numpy as np

MASK64 = (1 << 64) - 1


def mt19937_64(seed):
    """std::mt19937_64's outputs."""
    n, m = 312, 156
    state = [seed & MASK64]
    for i in range(1, n):
        state.append((6364136223846793005 * (state[-1] ^ (state[-1] >> 62)) + i) & MASK64)
    while True:
        for i in range(n):
            x = (state[i] & 0xFFFFFFFF80000000) | (state[(i + 1) % n] & 0x7FFFFFFF)
            state[i] = state[(i + m) % n] ^ (x >> 1) ^ (0xB5026F5AA96619E9 if x & 1 else 0)
        for y in state:
            y ^= (y >> 29) & 0x5555555555555555
            y ^= (y << 17) & 0x71D67FFFEDA60000
            y ^= (y << 37) & 0xFFF7EEE000000000
            yield (y ^ (y >> 43)) & MASK64


def uniform_below(rng, bound):
    """libstdc++'s uniform_int_distribution over [0, bound) from a 64-bit generator: Lemire's
    multiply-and-shift with rejection."""
    product = next(rng) * bound
    if product & MASK64 < bound:
        threshold = (MASK64 + 1 - bound) % bound
        while product & MASK64 < threshold:
            product = next(rng) * bound
    return product >> 64


def std_shuffle(n, seed):
    """The permutation std::shuffle(0..n-1, std::mt19937_64(seed)) gives with libstdc++: two
    swap positions from one draw while the generator's range allows it."""
    order, rng = list(range(n)), mt19937_64(seed)
    i = 1
    if n % 2 == 0 and n > 0:  # an even count leaves an odd number of swaps: one goes first
        j = uniform_below(rng, 2)
        order[1], order[j] = order[j], order[1]
        i = 2
    while i < n:
        x = uniform_below(rng, (i + 1) * (i + 2))
        for j in (x // (i + 2), x % (i + 2)):
            order[i], order[j] = order[j], order[i]
            i += 1
    return order


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_idx(data_dir, part):
    def find(stem):
        for name in (stem, stem + ".gz"):
            if os.path.exists(os.path.join(data_dir, name)):
                return os.path.join(data_dir, name)
        sys.exit(f"keras_data.py: no {stem}[.gz] in {data_dir}")
    images = read_idx(find(f"{part}-images-idx3-ubyte")).astype(np.float32) / 255.0
    return images[:, None], read_idx(find(f"{part}-labels-idx1-ubyte")).astype(np.int64)


def load_image_folder(folder):
    from PIL import Image  # python3-pil
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    files = [(os.path.join(folder, c, f), k) for k, c in enumerate(classes)
             for f in sorted(os.listdir(os.path.join(folder, c)))
             if f.lower().endswith((".jpg", ".jpeg", ".png"))]
    rng = mt19937_64(1337)
    for i in range(len(files), 1, -1):
        j = next(rng) % i
        files[i - 1], files[j] = files[j], files[i - 1]
    images = np.stack([np.asarray(Image.open(p).convert("RGB")) for p, _ in files])
    labels = np.array([k for _, k in files], np.int64)
    return images.transpose(0, 3, 1, 2).astype(np.float32) / 255.0, labels


def load(data_dir):
    """((x_train, y_train), (x_test, y_test)) from an idx folder, or from train/ and test/
    image folders."""
    if os.path.isdir(os.path.join(data_dir, "train")):
        return (load_image_folder(os.path.join(data_dir, "train")),
                load_image_folder(os.path.join(data_dir, "test")))
    return load_idx(data_dir, "train"), load_idx(data_dir, "t10k")


def resplit(train, test, test_fraction, seed):
    """Both parts pooled and split anew, as runtime/data/preprocess.cpp does."""
    x, y = np.concatenate([train[0], test[0]]), np.concatenate([train[1], test[1]])
    order = np.array(std_shuffle(len(x), seed))
    test_size = int(round(test_fraction * len(x)))
    return (x[order[:-test_size]], y[order[:-test_size]]), (x[order[-test_size:]], y[order[-test_size:]])


def min_max_scale(train, test):
    """scikit-learn's MinMaxScaler fitted on the training part: each pixel and channel."""
    low, high = train[0].min(0), train[0].max(0)
    scale = np.where(high > low, high - low, 1).astype(np.float32)
    return ((train[0] - low) / scale, train[1]), ((test[0] - low) / scale, test[1])
