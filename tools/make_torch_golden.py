#!/usr/bin/python3
"""Writes core/src/test/resources/golden/torch_golden.json: values and gradients from PyTorch
for fixed inputs, which the Java tests compare against without calling Python.

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/make_torch_golden.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
out = {"torch_version": torch.__version__}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float32)


# 1. The course's 25-3-3-10 network: sigmoid, sigmoid, softmax cross-entropy, fixed weights.
x = (torch.rand(4, 25) > 0.5).float()
y = torch.tensor([2, 7, 0, 9])
w1, b1 = rnd(3, 25) * 0.5, rnd(3) * 0.1
w2, b2 = rnd(3, 3), rnd(3) * 0.1
w3, b3 = rnd(10, 3), rnd(10) * 0.1
params = [w1, b1, w2, b2, w3, b3]
for p in params:
    p.requires_grad_(True)
h1 = torch.sigmoid(x @ w1.T + b1)
h2 = torch.sigmoid(h1 @ w2.T + b2)
logits = h2 @ w3.T + b3
loss = F.cross_entropy(logits, y)
loss.backward()
names = ["hidden1.weight", "hidden1.bias", "hidden2.weight", "hidden2.bias", "output.weight", "output.bias"]
out["mlp"] = {
    "x": flat(x), "labels": y.tolist(),
    "params": {n: {"shape": list(p.shape), "values": flat(p)} for n, p in zip(names, params)},
    "logits": flat(logits), "loss": float(loss),
    "grads": {n: flat(p.grad) for n, p in zip(names, params)},
}

# 2. Losses and activations on fixed tensors.
a = rnd(3, 5)
lab = torch.tensor([4, 0, 2])
p = torch.sigmoid(rnd(6))
t = (torch.rand(6) > 0.5).float()
z = torch.tensor([-30.0, -2.0, 0.0, 0.5, 3.0, 40.0])
out["losses"] = {
    "logits": flat(a), "labels": lab.tolist(),
    "cross_entropy_mean": float(F.cross_entropy(a, lab)),
    "cross_entropy_sum": float(F.cross_entropy(a, lab, reduction="sum")),
    "log_softmax": flat(F.log_softmax(a, dim=1)),
    "softmax_dim0": flat(F.softmax(a, dim=0)),
    "p": flat(p), "target": flat(t), "z": flat(z),
    "bce": float(F.binary_cross_entropy(p, t)),
    "bce_with_logits": float(F.binary_cross_entropy_with_logits(z, t)),
    "mse": float(F.mse_loss(p, t)),
    "gelu": flat(F.gelu(z)),
    "sigmoid": flat(torch.sigmoid(z)),
    "tanh": flat(torch.tanh(z)),
}

# 3. Optimizers: three steps on L = sum(c * w^2) from fixed w and c.
w0 = rnd(7)
c = rnd(7).abs() + 0.5


def run(make, steps=3):
    w = w0.clone().requires_grad_(True)
    opt = make([w])
    for _ in range(steps):
        opt.zero_grad()
        (c * w * w).sum().backward()
        opt.step()
    return flat(w)


out["optim"] = {
    "w0": flat(w0), "c": flat(c),
    "sgd": run(lambda ps: torch.optim.SGD(ps, lr=0.1)),
    "sgd_momentum": run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov": run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True)),
    "adam": run(lambda ps: torch.optim.Adam(ps, lr=0.01)),
    "adam_wd": run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    "adamw": run(lambda ps: torch.optim.AdamW(ps, lr=0.01)),
}

# 4. Schedules: the learning rate after each of 6 epochs.
def lrs(make):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.5)
    s = make(opt)
    res = []
    for _ in range(6):
        opt.step()
        s.step()
        res.append(opt.param_groups[0]["lr"])
    return res


out["schedules"] = {
    "step_lr_2_0.5": lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)),
    "cosine_4_0.01": lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01)),
}

# 5. Gradient clipping.
g1, g2 = rnd(3), rnd(2, 2)
q1, q2 = torch.zeros(3, requires_grad=True), torch.zeros(2, 2, requires_grad=True)
q1.grad, q2.grad = g1.clone(), g2.clone()
norm = torch.nn.utils.clip_grad_norm_([q1, q2], max_norm=0.5)
out["clip"] = {"g1": flat(g1), "g2": flat(g2), "norm": float(norm), "c1": flat(q1.grad), "c2": flat(q2.grad)}

# 6. Convolution and pooling (NCHW): outputs and the gradients of sum(out * proj).
xc = rnd(2, 2, 7, 6).requires_grad_(True)
wc = rnd(3, 2, 3, 3).requires_grad_(True)
bc = rnd(3).requires_grad_(True)
yc = F.conv2d(xc, wc, bc, stride=2, padding=1)
pc = rnd(*yc.shape)
(yc * pc).sum().backward()
xm = rnd(2, 3, 7, 7).requires_grad_(True)
ym = F.max_pool2d(xm, kernel_size=3, stride=2, padding=1)
pm = rnd(*ym.shape)
(ym * pm).sum().backward()
xa = rnd(1, 2, 6, 5).requires_grad_(True)
ya = F.avg_pool2d(xa, kernel_size=2, stride=2)
pa = rnd(*ya.shape)
(ya * pa).sum().backward()
out["conv"] = {
    "x": flat(xc), "w": flat(wc), "b": flat(bc), "y": flat(yc), "y_shape": list(yc.shape), "proj": flat(pc),
    "dx": flat(xc.grad), "dw": flat(wc.grad), "db": flat(bc.grad),
    "xm": flat(xm), "ym": flat(ym), "ym_shape": list(ym.shape), "pm": flat(pm), "dxm": flat(xm.grad),
    "xa": flat(xa), "ya": flat(ya), "ya_shape": list(ya.shape), "pa": flat(pa), "dxa": flat(xa.grad),
}

# 6b. Transposed convolution (the DCGAN's layer): kernel 4, stride 2, padding 1.
xt = rnd(2, 3, 4, 5).requires_grad_(True)
wt = rnd(3, 2, 4, 4).requires_grad_(True)
bt = rnd(2).requires_grad_(True)
yt = F.conv_transpose2d(xt, wt, bt, stride=2, padding=1)
pt = rnd(*yt.shape)
(yt * pt).sum().backward()
out["conv_transpose"] = {"x": flat(xt), "w": flat(wt), "b": flat(bt), "y": flat(yt), "y_shape": list(yt.shape),
                         "proj": flat(pt), "dx": flat(xt.grad), "dw": flat(wt.grad), "db": flat(bt.grad)}

# 7. Batch norm 2d in training (output, gradients, running statistics) then in eval mode.
bn = torch.nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.copy_(rnd(3))
    bn.bias.copy_(rnd(3))
xb = (rnd(4, 3, 5, 2) * 2 + 1).requires_grad_(True)
yb = bn(xb)
pb = rnd(*yb.shape)
(yb * pb).sum().backward()
bn.eval()
xe = rnd(2, 3, 5, 2)
out["batchnorm"] = {
    "weight": flat(bn.weight), "bias": flat(bn.bias), "x": flat(xb), "y": flat(yb), "proj": flat(pb),
    "dx": flat(xb.grad), "dweight": flat(bn.weight.grad), "dbias": flat(bn.bias.grad),
    "running_mean": flat(bn.running_mean), "running_var": flat(bn.running_var),
    "x_eval": flat(xe), "y_eval": flat(bn(xe)),
}

# 8. Recurrent layers with PyTorch's own initialisation: state dict, outputs, final states and
# every gradient of a fixed projection of them.
def recurrent(module, x, h0=None, c0=None):
    x = x.clone().requires_grad_(True)
    lstm = isinstance(module, torch.nn.LSTM)
    if lstm:
        y, (hn, cn) = module(x, (h0, c0)) if h0 is not None else module(x)
    else:
        y, hn = module(x, h0) if h0 is not None else module(x)
        cn = None
    py, ph = rnd(*y.shape), rnd(*hn.shape)
    loss = (y * py).sum() + (hn * ph).sum()
    pc = None
    if cn is not None:
        pc = rnd(*cn.shape)
        loss = loss + (cn * pc).sum()
    loss.backward()
    case = {
        "state": {n: {"shape": list(p.shape), "values": flat(p)} for n, p in module.named_parameters()},
        "x": flat(x), "x_shape": list(x.shape), "y": flat(y), "y_shape": list(y.shape), "h_n": flat(hn),
        "proj_y": flat(py), "proj_h": flat(ph), "dx": flat(x.grad),
        "grads": {n: flat(p.grad) for n, p in module.named_parameters()},
    }
    if h0 is not None:
        case["h0"] = flat(h0)
    if c0 is not None:
        case["c0"] = flat(c0)
    if cn is not None:
        case["c_n"] = flat(cn)
        case["proj_c"] = flat(pc)
    return case


out["recurrent"] = {
    "lstm": recurrent(torch.nn.LSTM(3, 4, num_layers=2), rnd(5, 2, 3), rnd(2, 2, 4), rnd(2, 2, 4)),
    "gru": recurrent(torch.nn.GRU(3, 4, batch_first=True), rnd(2, 5, 3)),
    "rnn_tanh": recurrent(torch.nn.RNN(3, 4, num_layers=2), rnd(4, 3, 3), rnd(2, 3, 4)),
    "rnn_relu": recurrent(torch.nn.RNN(3, 5, nonlinearity="relu", bias=False), rnd(4, 2, 3)),
    "lstm_bi": recurrent(torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True), rnd(5, 2, 3), rnd(4, 2, 4), rnd(4, 2, 4)),
    "gru_bi": recurrent(torch.nn.GRU(3, 4, batch_first=True, bidirectional=True), rnd(2, 5, 3)),
}

# 8. Attention and the Transformer (sections added after the others, so their values are unchanged).
def with_grads(module, inputs, forward):
    """Runs forward(*inputs) -> output, backward of sum(output * r) for a fixed r; returns output, r and every gradient."""
    for t in inputs:
        t.requires_grad_(True)
    y = forward(*inputs)
    r = rnd(*y.shape)
    (y * r).sum().backward()
    case = {"out": flat(y), "out_shape": list(y.shape), "r": flat(r),
            "inputs": [flat(t) for t in inputs], "input_shapes": [list(t.shape) for t in inputs],
            "input_grads": [flat(t.grad) for t in inputs]}
    if module is not None:
        case["state"] = {n: {"shape": list(p.shape), "values": flat(p)} for n, p in module.named_parameters()}
        case["grads"] = {n: flat(p.grad) for n, p in module.named_parameters()}
    return case


ln = torch.nn.LayerNorm(4)
with torch.no_grad():
    ln.weight.copy_(rnd(4))
    ln.bias.copy_(rnd(4))
ln2 = torch.nn.LayerNorm([3, 4], elementwise_affine=False, eps=1e-3)
out["layer_norm"] = {
    "affine": with_grads(ln, [rnd(2, 3, 4) * 2 + 1], lambda x: ln(x)),
    "plain": with_grads(None, [rnd(2, 3, 4)], lambda x: ln2(x)),
}


def sdpa(q, k, v, mask=None, causal=False):
    s = q @ k.transpose(-2, -1) / (q.shape[-1] ** 0.5)
    if mask is not None:
        s = s + mask
    if causal:
        t = torch.ones(q.shape[-2], k.shape[-2]).tril().bool()
        s = s.masked_fill(~t, float("-inf"))
    return torch.softmax(s, -1) @ v


amask = rnd(3, 5)
amask[0, 1] = float("-inf")
out["sdpa"] = {
    "plain": with_grads(None, [rnd(2, 2, 3, 4), rnd(2, 2, 5, 4), rnd(2, 2, 5, 3)], lambda q, k, v: sdpa(q, k, v)),
    # JSON has no -inf: the mask is stored with -1e30 there (the same softmax in float32)
    "mask": dict(with_grads(None, [rnd(2, 2, 3, 4), rnd(2, 2, 5, 4), rnd(2, 2, 5, 3)], lambda q, k, v: sdpa(q, k, v, amask)),
                 mask=flat(amask.clamp(min=-1e30))),
    "causal": with_grads(None, [rnd(2, 4, 4), rnd(2, 4, 4), rnd(2, 4, 2)], lambda q, k, v: sdpa(q, k, v, causal=True)),
}

mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
with torch.no_grad():
    mha.in_proj_bias.copy_(rnd(24) * 0.1)
    mha.out_proj.bias.copy_(rnd(8) * 0.1)
kpm = torch.tensor([[False, False, False, True, False], [False, True, False, False, False]])
am = rnd(3, 5) * 0.5
got = {}
case = with_grads(mha, [rnd(2, 3, 8), rnd(2, 5, 8), rnd(2, 5, 8)],
                  lambda q, k, v: mha(q, k, v, key_padding_mask=kpm, attn_mask=am, need_weights=True, average_attn_weights=False)[0])
with torch.no_grad():
    qq, kk, vv = [torch.tensor(x).reshape(s) for x, s in zip(case["inputs"], case["input_shapes"])]
    w_avg = mha(qq, kk, vv, key_padding_mask=kpm, attn_mask=am, need_weights=True)[1]
    w_heads = mha(qq, kk, vv, key_padding_mask=kpm, attn_mask=am, need_weights=True, average_attn_weights=False)[1]
case.update(key_padding_mask=[[1.0 if b else 0.0 for b in row] for row in kpm.tolist()], attn_mask=flat(am),
            weights_avg=flat(w_avg), weights_heads=flat(w_heads))
mha_self = torch.nn.MultiheadAttention(8, 2, batch_first=True)
out["mha"] = {"cross": case, "self": with_grads(mha_self, [rnd(2, 4, 8)], lambda x: mha_self(x, x, x, need_weights=False)[0])}


def layer_case(layer, inputs, forward):
    layer.train()   # dropout is 0: the plain path, as ours
    return with_grads(layer, inputs, forward)


layers = {}
for norm_first in (False, True):
    for act in ("relu", "gelu"):
        enc = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation=act, batch_first=True, norm_first=norm_first)
        key = ("pre" if norm_first else "post") + "_" + act
        mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
        layers["encoder_" + key] = layer_case(enc, [rnd(2, 4, 8)], lambda x: enc(x, src_mask=mask))
        dec = torch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, activation=act, batch_first=True, norm_first=norm_first)
        layers["decoder_" + key] = layer_case(dec, [rnd(2, 4, 8), rnd(2, 5, 8)], lambda t, m: dec(t, m, tgt_mask=mask))
out["transformer_layers"] = layers

tr = torch.nn.Transformer(8, 2, 2, 2, 16, dropout=0.0, batch_first=True)
tr.train()
tmask = torch.nn.Transformer.generate_square_subsequent_mask(4)
out["transformer"] = with_grads(tr, [rnd(2, 5, 8), rnd(2, 4, 8)], lambda s, t: tr(s, t, tgt_mask=tmask))

path = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "golden", "torch_golden.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
print("wrote", os.path.normpath(path))
