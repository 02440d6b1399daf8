#!/usr/bin/python3
"""W8 with PyTorch: the VAE of PyTorch's example, 784-400-20 (mu, log sigma^2)-400-784, ReLU,
sigmoid output, loss = binary cross-entropy summed over the pixels + KL, Adam 1e-3, batch 128,
one epoch of Fashion-MNIST with inputs in [0, 1]. Training samples/s (batching included, loading
from disk not), timed after 100 untimed steps of a throwaway VAE (as Glassbox's W8); the loss per sample over the epoch (the example's "Average loss"); peak RSS.
--epochs N trains N epochs (the loss is then the last epoch's); --samples FILE then writes 10,000
decoded draws z ~ N(0, I) to FILE for `glassbox score FILE --data fashion-mnist`; --seed S seeds
the initialisation (S) and the shuffle and noise (S + 1), 0 by default.

Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) or the folder in
$GLASSBOX_FASHION_MNIST. 1 PyTorch thread, OpenBLAS limited to 2, OMP_WAIT_POLICY=PASSIVE (set
by the runner). Needs: apt-get install python3-torch python3-threadpoolctl
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
xtr, _, _, _ = fashion_mnist.load()
xtr = xtr.reshape(-1, 784)
if quick:
    xtr = xtr[:6400]


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def vae_step(model, opt, xb):
    opt.zero_grad()
    recon, mu, logvar = model(xb)
    loss = F.binary_cross_entropy(recon, xb, reduction="sum") - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    loss.backward()
    opt.step()
    return loss


torch.set_num_threads(1)
WARMUP = 3 if quick else 100   # untimed steps of a throwaway VAE first, as Glassbox does ("timing after a warm-up")
with threadpool_limits(limits=2, user_api="blas"):
    torch.manual_seed(10)
    warm = Vae()
    warm_opt = torch.optim.Adam(warm.parameters(), lr=1e-3)
    warm_perm = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(11))
    t = time.perf_counter()
    for i in range(WARMUP):
        vae_step(warm, warm_opt, xtr[warm_perm[i * 128:(i + 1) * 128]])
    warmup_samples_per_s = round(128 * WARMUP / (time.perf_counter() - t))
seed = int(fashion_mnist.arg("--seed", "0"))
torch.manual_seed(seed)
model = Vae()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
g = torch.Generator().manual_seed(seed + 1)
epochs = int(fashion_mnist.arg("--epochs", "1"))
with threadpool_limits(limits=2, user_api="blas"):
    for epoch in range(epochs):
        total, samples = 0.0, 0
        t = time.perf_counter()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), 128):
            xb = xtr[perm[i:i + 128]]
            loss = vae_step(model, opt, xb)
            total += loss.item()
            samples += len(xb)
        secs = time.perf_counter() - t
if fashion_mnist.arg("--samples"):
    with torch.no_grad():
        fashion_mnist.write_samples(fashion_mnist.arg("--samples"),
                                    torch.sigmoid(model.fc4(F.relu(model.fc3(torch.randn(10000, 20))))).reshape(-1, 1, 28, 28))
print(json.dumps({"id": "W8", "peer": "torch " + torch.__version__, "samples_per_s": round(samples / secs),
                  "loss_per_sample_ep1": round(total / samples, 2), "warmup_steps": WARMUP,
                  "warmup_samples_per_s": warmup_samples_per_s, "peak_rss_mb": fashion_mnist.peak_rss_mb(),
                  "threads": 1, "date": datetime.date.today().isoformat()}))
