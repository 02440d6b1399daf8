"""Fashion-MNIST for the peer scripts: Debian's dataset-fashion-mnist
(/usr/share/datasets/fashion-mnist) or the folder in $GLASSBOX_FASHION_MNIST; IDX files,
gzipped or not. Images as float32 tensors in [0, 1]."""
import gzip
import os

import numpy as np
import torch

FOLDER = os.environ.get("GLASSBOX_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def idx(name):
    gz = os.path.join(FOLDER, name + ".gz")
    path, opener = (gz, gzip.open) if os.path.exists(gz) else (os.path.join(FOLDER, name), open)
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load():
    """(train images [60000, 1, 28, 28], train labels, test images, test labels)."""
    def images(name):
        return torch.tensor(idx(name), dtype=torch.float32).unsqueeze(1) / 255

    def labels(name):
        return torch.tensor(idx(name), dtype=torch.long)

    return (images("train-images-idx3-ubyte"), labels("train-labels-idx1-ubyte"),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


def peak_rss_mb():
    """VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a large process
    (the JVM that runs --vs-peers) would report its parent's size."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return None


def arg(flag, default=None):
    """The value after a command-line flag (--epochs 5), or default."""
    import sys
    return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else default


def write_samples(path, images):
    """Images [n, 1, side, side] with values in [0, 1] as a safetensors file of one F32 tensor
    "images", for `glassbox score FILE --data fashion-mnist`."""
    write_safetensors(path, {"images": images})


def write_safetensors(path, tensors, metadata=None):
    """Tensors (float as F32, integer as I64) as a safetensors file, written by hand: 8-byte
    little-endian header length, JSON header (with metadata if given), raw data; atomically."""
    import json
    import struct
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.is_floating_point():
            dtype, data = "F32", t.to(torch.float32).numpy().astype("<f4").tobytes()
        else:
            dtype, data = "I64", t.to(torch.int64).numpy().astype("<i8").tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)
