#!/usr/bin/python3
"""W2 with PyTorch: MLP 784-256-128-10, ReLU, cross-entropy, Adam 1e-3, batch 128, on
Fashion-MNIST with inputs in [0, 1]. Training samples/s (batching included, loading from disk
and evaluation not), timed after one untimed epoch of a throwaway model (as Glassbox's W2); test
accuracy after epochs 1 and 5; peak RSS.

Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) or the folder in
$GLASSBOX_FASHION_MNIST. Best setting here: 1 PyTorch thread, OpenBLAS limited to 2,
OMP_WAIT_POLICY=PASSIVE (set by the runner). Needs: apt-get install python3-torch python3-threadpoolctl
"""
import datetime
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

import fashion_mnist

quick = "--quick" in sys.argv
xtr, ytr, xte, yte = fashion_mnist.load()
xtr, xte = xtr.reshape(-1, 784), xte.reshape(-1, 784)
if quick:
    xtr, ytr = xtr[:6000], ytr[:6000]

torch.set_num_threads(1)


def mlp(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def epoch_of(model, opt, g):
    perm = torch.randperm(len(xtr), generator=g)
    for i in range(0, len(xtr), 128):
        idx_b = perm[i:i + 128]
        xb, yb = xtr[idx_b], ytr[idx_b]
        opt.zero_grad()
        F.cross_entropy(model(xb), yb).backward()
        opt.step()


out = {"id": "W2", "peer": "torch " + torch.__version__}
epochs = 1 if quick else 5
samples, secs = 0, 0.0
with threadpool_limits(limits=2, user_api="blas"):
    # timing after a warm-up (BENCHMARKS.md): one untimed epoch of a throwaway model of other seeds, as Glassbox does
    warm = mlp(10)
    t = time.perf_counter()
    epoch_of(warm, torch.optim.Adam(warm.parameters(), lr=1e-3), torch.Generator().manual_seed(11))
    out["warmup_epochs"] = 1
    out["warmup_samples_per_s"] = round(len(xtr) / (time.perf_counter() - t))
    model = mlp(0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    for epoch in range(1, epochs + 1):
        t = time.perf_counter()
        epoch_of(model, opt, g)
        samples += len(xtr)
        secs += time.perf_counter() - t
        if epoch in (1, 5):
            with torch.no_grad():
                acc = (model(xte).argmax(1) == yte).float().mean().item()
            out[f"acc_{epoch}ep"] = round(acc, 4)
out["samples_per_s"] = round(samples / secs)
out["epochs"] = epochs
out["peak_rss_mb"] = fashion_mnist.peak_rss_mb()
out["threads"] = 1
out["date"] = datetime.date.today().isoformat()
print(json.dumps(out))
