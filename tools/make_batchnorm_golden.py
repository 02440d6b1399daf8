#!/usr/bin/python3
"""Writes core/src/test/resources/golden/batchnorm_options.json: batch norm with PyTorch's options
(eps, momentum, affine) from PyTorch 1.13 — the training output, the input's gradient of
sum(out * r), the running statistics after two batches, then the eval-mode output.

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/make_batchnorm_golden.py
"""
import json
import os

import torch

torch.manual_seed(0)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(bn, shape):
    bn.train()
    x1, x2 = torch.randn(*shape) * 2 + 0.5, torch.randn(*shape)
    x2.requires_grad_(True)
    bn(x1)
    y = bn(x2)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    bn.eval()
    x3 = torch.randn(*shape)
    out = {"shape": list(shape), "x1": flat(x1), "x2": flat(x2), "x3": flat(x3), "r": flat(r), "train_out": flat(y),
           "x2_grad": flat(x2.grad), "running_mean": flat(bn.running_mean), "running_var": flat(bn.running_var),
           "eval_out": flat(bn(x3)), "eps": bn.eps, "momentum": bn.momentum, "affine": bn.affine}
    if bn.affine:
        out["weight"] = flat(bn.weight)
        out["bias"] = flat(bn.bias)
        out["weight_grad"] = flat(bn.weight.grad)
        out["bias_grad"] = flat(bn.bias.grad)
    return out


plain = torch.nn.BatchNorm2d(3, eps=1e-3, momentum=0.3, affine=False)
affine = torch.nn.BatchNorm1d(4, eps=1e-4, momentum=0.05)
with torch.no_grad():
    affine.weight.copy_(torch.randn(4))
    affine.bias.copy_(torch.randn(4))
out = {"torch_version": torch.__version__, "plain2d": case(plain, (4, 3, 2, 2)), "affine1d": case(affine, (5, 4))}
path = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "golden", "batchnorm_options.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
print("wrote", os.path.normpath(path))
