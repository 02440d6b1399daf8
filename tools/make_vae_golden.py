#!/usr/bin/python3
"""Writes models/src/test/resources/golden/vae_golden.json: a small VAE (6-5-3) computed by
PyTorch from fixed weights, images and noise — mu, log sigma^2, z, the reconstruction, both loss
terms per sample and every gradient — which VaeGoldenTest compares against without Python.
The network is Glassbox's Vae: encoder (ReLU) -> mu, logvar -> z = mu + exp(logvar/2)*eps ->
decoder_hidden (ReLU) -> decoder_out (sigmoid); loss = (BCE summed over pixels + KL) / N.

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/make_vae_golden.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


layers = {"encoder": torch.nn.Linear(6, 5), "mu": torch.nn.Linear(5, 3), "logvar": torch.nn.Linear(5, 3),
          "decoder_hidden": torch.nn.Linear(3, 5), "decoder_out": torch.nn.Linear(5, 6)}
x = torch.rand(2, 6)
x[0, 0], x[1, 3] = 0.0, 1.0                       # black and white pixels, as images have
eps = torch.randn(2, 3)

h = F.relu(layers["encoder"](x))
mu, logvar = layers["mu"](h), layers["logvar"](h)
z = mu + torch.exp(0.5 * logvar) * eps
logits = layers["decoder_out"](F.relu(layers["decoder_hidden"](z)))
x_hat = torch.sigmoid(logits)
n = x.shape[0]
recon = F.binary_cross_entropy(x_hat, x, reduction="sum") / n
kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / n
loss = recon + kl
loss.backward()

state, grads = {}, {}
for name, layer in layers.items():
    for p_name, p in layer.named_parameters():
        state[name + "." + p_name] = {"shape": list(p.shape), "values": flat(p)}
        grads[name + "." + p_name] = flat(p.grad)
out = {"torch_version": torch.__version__, "x": flat(x), "eps": flat(eps), "state": state, "mu": flat(mu), "logvar": flat(logvar),
       "z": flat(z), "x_hat": flat(x_hat), "recon": float(recon), "kl": float(kl), "loss": float(loss), "grads": grads}
path = os.path.join(os.path.dirname(__file__), "..", "models", "src", "test", "resources", "golden", "vae_golden.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
print("wrote", os.path.normpath(path))
