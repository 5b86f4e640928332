#!/usr/bin/python3
"""Keras's weight files as Keras writes and reads them, with h5py (Keras itself is not in
Debian): the same steps as keras/src/legacy/saving/legacy_h5_format.py and the H5IOStore of
keras/src/saving/saving_lib.py, over a trainer's safetensors weights.

  keras_h5.py write2 OURS.safetensors OUT.h5 [--whole-model] [--chunked] [--rename]
  keras_h5.py write3 OURS.safetensors OUT.weights.h5 CLASSES
  keras_h5.py check2 OURS.safetensors THEIRS.h5
  keras_h5.py check3 OURS.safetensors THEIRS.weights.h5 CLASSES
  keras_h5.py write_archive OURS.safetensors OUT.keras CLASSES
  keras_h5.py check_archive OURS.safetensors THEIRS.keras

CLASSES: the Keras model's layer classes in model.layers order, comma-separated, each
`Class:name` (e.g. Conv2D:conv2d,MaxPooling2D:max_pooling2d,...). check* exit non-zero
unless every tensor Keras would load equals ours bit for bit."""
import io
import json
import re
import struct
import sys
import zipfile

import h5py
import numpy as np

ROLES = ["kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance"]


def read_ours(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__" or "/" not in name or name.startswith(("optimizer/", "callbacks/")):
            continue
        a, b = t["data_offsets"]
        tensors[name] = np.frombuffer(data[a:b], dtype="<f4").reshape(t["shape"])
    return tensors


def layers_of(tensors):
    """{layer: [weights in Keras's order]}, layers in our file's order (sorted by name)."""
    layers = {}
    for name in tensors:
        layer, role = name.rsplit("/", 1)
        layers.setdefault(layer, []).append(role)
    return {l: sorted(r, key=ROLES.index) for l, r in layers.items()}


def to_snake_case(name):  # keras/src/utils/naming.py
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras3_paths(classes):
    """Keras 3's `layers/<snake>[_k]` for each layer (saving_lib._save_container_state)."""
    used, out = {}, []
    for cls, name in classes:
        base = to_snake_case(cls)
        if base in used:
            used[base] += 1
            base = f"{base}_{used[base]}"
        else:
            used[base] = 0
        out.append((f"layers/{base}", name))
    return out


def save_attributes(group, name, data, chunks):  # save_attributes_to_hdf5_group
    data = np.asarray(data)
    if chunks > 1:
        for i, part in enumerate(np.array_split(data, chunks)):
            group.attrs[f"{name}{i}"] = part
    else:
        group.attrs[name] = data


def load_attributes(group, name):  # load_attributes_from_hdf5_group
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    data, i = [], 0
    while f"{name}{i}" in group.attrs:
        data += [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[f"{name}{i}"]]
        i += 1
    return data


def write2(ours, out, whole_model, chunked, rename):
    tensors = read_ours(ours)
    layers = layers_of(tensors)
    with h5py.File(out, "w") as f:
        g = f
        if whole_model:
            f.attrs["model_config"] = json.dumps({"class_name": "Sequential"})
            g = f.create_group("model_weights")
        names = {l: (f"renamed_{i}" if rename else l) for i, l in enumerate(layers)}
        # A weightless layer too, as model.layers has them.
        save_attributes(g, "layer_names", [n.encode() for n in names.values()] + [b"flatten_x"],
                        3 if chunked else 1)
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = b"2.13.1"
        for layer, roles in sorted(layers.items()):
            lg = g.create_group(names[layer])
            weight_names = [f"{names[layer]}/{r}:0".encode() for r in roles]
            save_attributes(lg, "weight_names", weight_names, 1)
            for wn, r in zip(weight_names, roles):
                lg.create_dataset(wn, data=tensors[f"{layer}/{r}"])
        g.create_group("flatten_x").attrs["weight_names"] = np.asarray([])


def check2(ours, theirs):
    """Keras 2's load_weights_from_hdf5_group, into a model whose layers are ours."""
    tensors = read_ours(ours)
    layers = layers_of(tensors)
    with h5py.File(theirs, "r") as f:
        g = f["model_weights"] if "model_weights" in f else f
        assert g.attrs["backend"] == b"tensorflow" and "keras_version" in g.attrs
        names = [n for n in load_attributes(g, "layer_names") if load_attributes(g[n], "weight_names")]
        assert sorted(names) == sorted(layers), (names, list(layers))
        for name in names:
            weight_names = load_attributes(g[name], "weight_names")
            assert weight_names == [f"{name}/{r}:0" for r in layers[name]], weight_names
            for wn, r in zip(weight_names, layers[name]):
                value = np.asarray(g[name][wn])
                assert value.dtype == np.float32, (wn, value.dtype)
                assert np.array_equal(value, tensors[f"{name}/{r}"]), wn
    print(f"{len(names)} layers load as Keras loads them, every value equal")


def parse_classes(text):
    return [tuple(item.split(":")) for item in text.split(",")]


def write3(ours, out, classes):
    tensors = read_ours(ours)
    layers = layers_of(tensors)
    with h5py.File(out, "w") as f:
        f.create_group("vars")
        for path, name in keras3_paths(classes):
            vars_ = f.create_group(path).create_group("vars")
            for i, r in enumerate(layers.get(name, [])):
                vars_[str(i)] = tensors[f"{name}/{r}"]


def check3(ours, theirs, classes):
    """Keras 3's _load_state over H5IOStore: each layer's vars by class and position."""
    tensors = read_ours(ours)
    layers = layers_of(tensors)
    loaded = 0
    with h5py.File(theirs, "r") as f:
        for path, name in keras3_paths(classes):
            roles = layers.get(name, [])
            store = f[path]["vars"] if path in f and "vars" in f[path] else {}
            assert len(store) == len(roles), (path, list(store), roles)
            for i, r in enumerate(roles):
                value = np.asarray(store[str(i)])
                assert value.dtype == np.float32 and np.array_equal(value, tensors[f"{name}/{r}"]), path
            loaded += bool(roles)
    assert loaded == len(layers), (loaded, len(layers))
    print(f"{loaded} layers load as Keras 3 loads them, every value equal")


KERAS3_LAYERS = {"InputLayer", "Conv2D", "Dense", "MaxPooling2D", "AveragePooling2D", "Flatten",
                 "Dropout", "BatchNormalization", "Activation", "GlobalAveragePooling2D",
                 "GlobalMaxPooling2D", "Add", "Concatenate", "RandomFlip", "RandomRotation",
                 "RandomTranslation", "RandomZoom", "ZeroPadding2D"}


def rebuild_functional(config):
    """functional_from_config's walk: every layer a known keras.layers class, every inbound
    tensor an earlier layer's output; returns model.layers' (class, name) in order."""
    assert config["module"] == "keras.src.models.functional" and config["class_name"] == "Functional"
    inner = config["config"]
    built, order = {}, []
    for layer in inner["layers"]:
        assert layer["module"] == "keras.layers" and layer["class_name"] in KERAS3_LAYERS, layer
        assert layer["registered_name"] is None and layer["config"]["name"] == layer["name"]
        for node in layer["inbound_nodes"]:
            for arg in node["args"]:
                for t in arg if isinstance(arg, list) else [arg]:
                    assert t["class_name"] == "__keras_tensor__"
                    source, node_index, tensor_index = t["config"]["keras_history"]
                    assert source in built and node_index == 0 and tensor_index == 0, t
                    assert t["config"]["shape"] == built[source], (t, built[source])
        shape = layer["config"].get("batch_shape")
        built[layer["name"]] = shape if shape is not None else "?"
        if shape is None:  # a layer's output shape: what its consumers say they receive
            built[layer["name"]] = next(
                (t["config"]["shape"] for later in inner["layers"] for n in later["inbound_nodes"]
                 for a in n["args"] for t in (a if isinstance(a, list) else [a])
                 if t["config"]["keras_history"][0] == layer["name"]), None)
        order.append((layer["class_name"], layer["name"]))
    assert inner["input_layers"][0] in built and inner["output_layers"][0] in built
    return order


def write_archive(ours, out, classes):
    buf = io.BytesIO()
    write3(ours, buf, classes)
    with zipfile.ZipFile(out, "w") as z:  # stored, as Keras writes it
        z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "x"}))
        z.writestr("config.json", json.dumps({"class_name": "Sequential"}))
        z.writestr("model.weights.h5", buf.getvalue())


def check_archive(ours, theirs):
    with zipfile.ZipFile(theirs) as z:
        names = z.namelist()
        assert sorted(names) == ["config.json", "metadata.json", "model.weights.h5"], names
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
        assert "keras_version" in json.loads(z.read("metadata.json"))
        classes = rebuild_functional(json.loads(z.read("config.json")))
        weights = io.BytesIO(z.read("model.weights.h5"))
    check3(ours, weights, classes)
    print(f"config.json rebuilds {len(classes)} layers")


def main(argv):
    cmd, ours, other = argv[1:4]
    flags = argv[4:]
    if cmd == "write2":
        write2(ours, other, "--whole-model" in flags, "--chunked" in flags, "--rename" in flags)
    elif cmd == "check2":
        check2(ours, other)
    elif cmd == "write3":
        write3(ours, other, parse_classes(flags[0]))
    elif cmd == "check3":
        check3(ours, other, parse_classes(flags[0]))
    elif cmd == "write_archive":
        write_archive(ours, other, parse_classes(flags[0]))
    elif cmd == "check_archive":
        check_archive(ours, other)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
