#!/usr/bin/python3
"""W4 with PyTorch: conv(1->32, 3x3) ReLU maxpool 2, conv(32->64, 3x3) ReLU maxpool 2,
fc(1600->128) ReLU, fc(128->10); Adam 1e-3, batch 64, Fashion-MNIST in [0, 1]. Training
samples/s over one epoch (batching included, loading and evaluation not), timed after 190 untimed
steps of a throwaway CNN (as Glassbox's W4); test accuracy after it.

Data: Debian's dataset-fashion-mnist or $GLASSBOX_FASHION_MNIST. 1 PyTorch thread (oneDNN
serves the convolutions), OpenBLAS limited to 2, OMP_WAIT_POLICY=PASSIVE (set by the runner).
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
if quick:
    xtr, ytr = xtr[:640], ytr[:640]
torch.set_num_threads(1)


def cnn(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))


def steps_of(model, opt, perm, n):
    for i in range(0, min(len(xtr), 64 * n), 64):
        b = perm[i:i + 64]
        opt.zero_grad()
        F.cross_entropy(model(xtr[b]), ytr[b]).backward()
        opt.step()


out = {"id": "W4", "peer": "torch " + torch.__version__}
WARMUP = 2 if quick else 190   # untimed steps of a throwaway CNN first, as Glassbox does ("timing after a warm-up")
with threadpool_limits(limits=2, user_api="blas"):
    warm = cnn(10)
    t = time.perf_counter()
    steps_of(warm, torch.optim.Adam(warm.parameters(), lr=1e-3), torch.randperm(len(xtr), generator=torch.Generator().manual_seed(11)), WARMUP)
    out["warmup_steps"] = WARMUP
    out["warmup_samples_per_s"] = round(64 * WARMUP / (time.perf_counter() - t))
    model = cnn(0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    t = time.perf_counter()
    steps_of(model, opt, torch.randperm(len(xtr), generator=g), len(xtr))
    out["samples_per_s"] = round(len(xtr) / (time.perf_counter() - t))
    if not quick:
        with torch.no_grad():
            correct = sum((model(xte[i:i + 500]).argmax(1) == yte[i:i + 500]).sum().item() for i in range(0, len(xte), 500))
        out["acc_1ep"] = round(correct / len(xte), 4)
out["peak_rss_mb"] = fashion_mnist.peak_rss_mb()
out["threads"] = 1
out["date"] = datetime.date.today().isoformat()
print(json.dumps(out))
