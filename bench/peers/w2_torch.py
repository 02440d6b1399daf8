#!/usr/bin/python3
"""W2 with PyTorch: MLP 784-256-128-10, ReLU, cross-entropy, Adam 1e-3, batch 128, on
Fashion-MNIST with inputs in [0, 1]. Training samples/s (batching included, loading from disk
and evaluation not); test accuracy after epochs 1 and 5; peak RSS.

Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) or the folder in
$GLASSBOX_FASHION_MNIST. Best setting here: 1 PyTorch thread, OpenBLAS limited to 2,
OMP_WAIT_POLICY=PASSIVE (set by the runner). Needs: apt-get install python3-torch python3-threadpoolctl
"""
import datetime
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

quick = "--quick" in sys.argv
folder = os.environ.get("GLASSBOX_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def idx(name):
    path = os.path.join(folder, name + ".gz")
    opener = gzip.open if os.path.exists(path) else open
    with opener(path if os.path.exists(path) else os.path.join(folder, name), "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


xtr = torch.tensor(idx("train-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255
ytr = torch.tensor(idx("train-labels-idx1-ubyte"), dtype=torch.long)
xte = torch.tensor(idx("t10k-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255
yte = torch.tensor(idx("t10k-labels-idx1-ubyte"), dtype=torch.long)
if quick:
    xtr, ytr = xtr[:6000], ytr[:6000]

torch.set_num_threads(1)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
out = {"id": "W2", "peer": "torch " + torch.__version__}
epochs = 1 if quick else 5
g = torch.Generator().manual_seed(1)
samples, secs = 0, 0.0
with threadpool_limits(limits=2, user_api="blas"):
    for epoch in range(1, epochs + 1):
        t = time.perf_counter()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 128):
            idx_b = perm[i:i + 128]
            xb, yb = xtr[idx_b], ytr[idx_b]
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()
            samples += len(idx_b)
        secs += time.perf_counter() - t
        if epoch in (1, 5):
            with torch.no_grad():
                acc = (model(xte).argmax(1) == yte).float().mean().item()
            out[f"acc_{epoch}ep"] = round(acc, 4)
out["samples_per_s"] = round(samples / secs)
out["epochs"] = epochs
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a large process
# (the JVM that runs --vs-peers) would report its parent's size
with open("/proc/self/status") as f:
    hwm = [line for line in f if line.startswith("VmHWM:")]
out["peak_rss_mb"] = round(int(hwm[0].split()[1]) / 1024) if hwm else round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
out["threads"] = 1
out["date"] = datetime.date.today().isoformat()
print(json.dumps(out))
