#!/usr/bin/python3
"""Writes core/src/test/resources/golden/conv_options.json: PyTorch 1.13's ConvTranspose2d with
(height, width) tuples and output_padding, Conv2d, MaxPool2d and AvgPool2d with tuples — each
output and every gradient of sum(out * r).

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/make_conv_golden.py
"""
import json
import os

import torch

torch.manual_seed(0)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(layer, shape, **options):
    x = torch.randn(*shape, requires_grad=True)
    y = layer(x)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    return dict(options, x=flat(x), x_shape=list(shape), y=flat(y), y_shape=list(y.shape), r=flat(r), weight=flat(layer.weight),
                weight_shape=list(layer.weight.shape), bias=flat(layer.bias), x_grad=flat(x.grad), weight_grad=flat(layer.weight.grad),
                bias_grad=flat(layer.bias.grad))


out = {"torch_version": torch.__version__,
       "transpose_tuples": case(torch.nn.ConvTranspose2d(2, 3, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2)), (2, 2, 3, 4),
                                kernel=[3, 2], stride=[2, 3], padding=[1, 0], output_padding=[1, 2]),
       "transpose_dcgan": case(torch.nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1, output_padding=1), (2, 3, 3, 3),
                               kernel=[4, 4], stride=[2, 2], padding=[1, 1], output_padding=[1, 1])}

def pool_case(layer, shape, **options):
    x = torch.randn(*shape, requires_grad=True)
    y = layer(x)
    r = torch.randn(*y.shape)
    (y * r).sum().backward()
    return dict(options, x=flat(x), x_shape=list(shape), y=flat(y), y_shape=list(y.shape), r=flat(r), x_grad=flat(x.grad))


# added after the cases above, so their values are unchanged
out["conv_tuples"] = case(torch.nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 2)), (2, 2, 5, 4),
                          kernel=[3, 2], stride=[2, 1], padding=[1, 2])
out["maxpool_tuples"] = pool_case(torch.nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 0)), (2, 3, 5, 4),
                                  kernel=[3, 2], stride=[2, 1], padding=[1, 0])
out["avgpool_tuples"] = pool_case(torch.nn.AvgPool2d((2, 3), stride=(1, 2), padding=(0, 1)), (2, 3, 4, 5),
                                  kernel=[2, 3], stride=[1, 2], padding=[0, 1])
path = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "golden", "conv_options.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
print("wrote", os.path.normpath(path))
