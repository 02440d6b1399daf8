#!/usr/bin/python3
"""W9 with PyTorch: the DCGAN of Glassbox's dcgan --preset mnist on Fashion-MNIST (images scaled to
[-1, 1]). G: z(100) -> fc -> BatchNorm1d -> ReLU -> 128x7x7 -> ConvTranspose(128->64, 4, s2, p1) ->
BatchNorm -> ReLU -> ConvTranspose(64->1, 4, s2, p1) -> tanh; D: Conv(1->64, 4, s2, p1) ->
LeakyReLU 0.2 -> Conv(64->128, 4, s2, p1) -> BatchNorm -> LeakyReLU 0.2 -> fc -> logit. Each
batch of 64: one D step (real vs 1, detached fakes vs 0, BCE on logits) and one G step (fakes vs
1); Adam 2e-4, betas (0.5, 0.999) each. Training images/s over one epoch (--quick: 6,400
images), timed after 190 untimed steps of a throwaway GAN (as Glassbox's W9); the last 100 steps' mean d_loss and g_loss; peak RSS. --epochs N trains N epochs (the rate
is then the last epoch's); --samples FILE then writes 10,000 images of G (eval mode, z ~ N(0, I),
mapped to [0, 1]) to FILE for `glassbox score FILE --data fashion-mnist`, and the trained networks
to FILE.model.safetensors as a Glassbox dcgan checkpoint; --seed S seeds
the initialisation (S) and the shuffle and noise (S + 1), 0 by default.

Data: Debian's dataset-fashion-mnist or $GLASSBOX_FASHION_MNIST. 1 PyTorch thread, OpenBLAS
limited to 2, OMP_WAIT_POLICY=PASSIVE (set by the runner).
Needs: apt-get install python3-torch python3-threadpoolctl
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
xtr = xtr.reshape(-1, 1, 28, 28) * 2 - 1
if quick:
    xtr = xtr[:6400]


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc, self.bn0 = nn.Linear(100, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7)
        self.up1, self.bn1 = nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn0(self.fc(z))).reshape(-1, 128, 7, 7)
        return torch.tanh(self.up2(F.relu(self.bn1(self.up1(h)))))


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2, self.bn2 = nn.Conv2d(1, 64, 4, 2, 1), nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128)
        self.fc = nn.Linear(128 * 7 * 7, 1)

    def forward(self, x):
        h = F.leaky_relu(self.conv1(x), 0.2)
        h = F.leaky_relu(self.bn2(self.conv2(h)), 0.2)
        return self.fc(h.flatten(1))


def gan_step(g, d, g_opt, d_opt, real):
    """One D step and one G step on a batch of real images; returns (z, d_loss, g_loss)."""
    n = len(real)
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    z = torch.randn(n, 100)
    fake = g(z)
    d_opt.zero_grad()
    d_loss = F.binary_cross_entropy_with_logits(d(real), ones) + F.binary_cross_entropy_with_logits(d(fake.detach()), zeros)
    d_loss.backward()
    d_opt.step()
    g_opt.zero_grad()
    g_loss = F.binary_cross_entropy_with_logits(d(fake), ones)
    g_loss.backward()
    g_opt.step()
    return z, d_loss, g_loss


def adam(net):
    return torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999))


torch.set_num_threads(1)
WARMUP = 2 if quick else 190   # untimed steps of a throwaway GAN first, as Glassbox does ("timing after a warm-up")
with threadpool_limits(limits=2, user_api="blas"):
    torch.manual_seed(10)
    wg, wd = G(), D()
    wg_opt, wd_opt = adam(wg), adam(wd)
    wperm = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(11))
    t = time.perf_counter()
    for i in range(WARMUP):
        gan_step(wg, wd, wg_opt, wd_opt, xtr[wperm[i * 64:(i + 1) * 64]])
    warmup_images_per_s = round(64 * WARMUP / (time.perf_counter() - t))
seed = int(fashion_mnist.arg("--seed", "0"))
torch.manual_seed(seed)
g, d = G(), D()
g_opt, d_opt = adam(g), adam(d)
gen = torch.Generator().manual_seed(seed + 1)
d_losses, g_losses = [], []
epochs = int(fashion_mnist.arg("--epochs", "1"))
# --replay FILE --replay-steps N: the initial networks, the first N steps' batch indices and z and
# their losses to FILE, then stop (`bench/probe.sh dcgan-replay FILE` replays them in Glassbox)
replay, replay_steps = fashion_mnist.arg("--replay"), int(fashion_mnist.arg("--replay-steps", "50"))
if replay:
    init = {"init.generator." + k: v.clone() for k, v in g.state_dict().items()}
    init.update({"init.discriminator." + k: v.clone() for k, v in d.state_dict().items()})
    trace = {"index": [], "z": [], "d_loss": [], "g_loss": []}
with threadpool_limits(limits=2, user_api="blas"):
    for epoch in range(epochs):
        images = 0
        t = time.perf_counter()
        perm = torch.randperm(len(xtr), generator=gen)
        for i in range(0, len(xtr), 64):
            real = xtr[perm[i:i + 64]]
            n = len(real)
            z, d_loss, g_loss = gan_step(g, d, g_opt, d_opt, real)
            d_losses.append(d_loss.item())
            g_losses.append(g_loss.item())
            images += n
            if replay:
                trace["index"].append(perm[i:i + 64].clone())
                trace["z"].append(z)
                trace["d_loss"].append(d_loss.item())
                trace["g_loss"].append(g_loss.item())
                if len(trace["z"]) == replay_steps:
                    out = dict(init)
                    # batches end each epoch with a short one (60,000 = 937 × 64 + 32): rows side by side, with each step's size
                    out["index"], out["z"] = torch.cat(trace["index"]), torch.cat(trace["z"])
                    out["size"] = torch.tensor([len(b) for b in trace["index"]])
                    out["d_loss"], out["g_loss"] = torch.tensor(trace["d_loss"]), torch.tensor(trace["g_loss"])
                    fashion_mnist.write_safetensors(replay, out)
                    print(json.dumps({"replay": replay, "steps": replay_steps}))
                    sys.exit(0)
        secs = time.perf_counter() - t
if fashion_mnist.arg("--samples"):
    g.eval()
    with torch.no_grad():
        fashion_mnist.write_samples(fashion_mnist.arg("--samples"), (g(torch.randn(10000, 100)) + 1) / 2)
    # the trained networks beside the samples, as a Glassbox dcgan checkpoint (the same names):
    # `glassbox eval dcgan --load FILE --data fashion-mnist` samples them with Glassbox's code
    state = {"generator." + k: v for k, v in g.state_dict().items()}
    state.update({"discriminator." + k: v for k, v in d.state_dict().items()})
    settings = {"preset": "mnist", "data": "fashion-mnist", "epochs": epochs, "steps": 0, "lr": 2e-4, "batch": 64, "seed": seed}
    fashion_mnist.write_safetensors(fashion_mnist.arg("--samples") + ".model.safetensors", state,
                                    {"glassbox.model": "dcgan", "glassbox.preset": "mnist", "glassbox.settings": json.dumps(settings)})
print(json.dumps({"id": "W9", "peer": "torch " + torch.__version__, "images_per_s": round(images / secs),
                  "d_loss_last100": round(sum(d_losses[-100:]) / len(d_losses[-100:]), 4),
                  "g_loss_last100": round(sum(g_losses[-100:]) / len(g_losses[-100:]), 4),
                  "warmup_steps": WARMUP, "warmup_images_per_s": warmup_images_per_s,
                  "peak_rss_mb": fashion_mnist.peak_rss_mb(), "threads": 1, "date": datetime.date.today().isoformat()}))
