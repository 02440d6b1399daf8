#!/usr/bin/python3
"""W6 with PyTorch: a decoder-only Transformer character language model on the Brown corpus, the
network of Glassbox's transformer char preset: token embedding plus learned position embedding
(d_model 128, context 64), 2 pre-norm TransformerEncoderLayers (4 heads, feed-forward 512, GELU,
no dropout) with the causal mask, a final LayerNorm and a linear head; batch 32 random windows of
the first 90% of the text, Adam 1e-3. Training tokens/s (batching included) and the mean loss of
steps 291-300 (nats per character), timed after 60 untimed steps of a throwaway model (as Glassbox's W6).
--quick: 30 steps after 3.

Data: brown.txt in $GLASSBOX_BENCH_DATA, else ../shared/data beside the project. PyTorch on 1
thread, OpenBLAS limited to 2, OMP_WAIT_POLICY=PASSIVE (set by the runner).
Needs: apt-get install python3-torch python3-threadpoolctl
"""
import datetime
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

import brown   # beside this script
from fashion_mnist import peak_rss_mb   # beside this script

quick = "--quick" in sys.argv
steps = 30 if quick else 300
threads = int(os.environ.get("W6_TORCH_THREADS", "1"))
torch.set_num_threads(threads)
chars, ids = brown.train_ids()
batch, seq, d = 32, 64, 128


class Lm(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.tok_embed = nn.Embedding(v, d)
        self.pos_embed = nn.Embedding(seq, d)
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(d, 4, 512, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
                                     for _ in range(2)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, v)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(seq))
        self.register_buffer("pos", torch.arange(seq))

    def forward(self, x):
        h = self.tok_embed(x) + self.pos_embed(self.pos)
        for layer in self.layers:
            h = layer(h, src_mask=self.mask)
        return self.head(self.norm(h))


WARMUP = 3 if quick else 60   # steps of a throwaway model first, untimed, as Glassbox does ("timing after a warm-up")


def train(n, model_seed, batch_seed):
    """Trains a fresh model n steps; returns (seconds, losses)."""
    torch.manual_seed(model_seed)
    model = Lm(len(chars))
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(batch_seed)
    losses = []
    t = time.perf_counter()
    for step in range(n):
        starts = torch.randint(0, len(ids) - seq - 1, (batch,), generator=g)
        x = torch.stack([ids[s:s + seq] for s in starts])
        y = torch.stack([ids[s + 1:s + seq + 1] for s in starts])
        opt.zero_grad()
        loss = F.cross_entropy(model(x).reshape(-1, len(chars)), y.reshape(-1))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return time.perf_counter() - t, losses


with threadpool_limits(limits=2, user_api="blas"):
    cold, _ = train(WARMUP, 11, 12)
    secs, losses = train(steps, 1, 2)
print(json.dumps({"id": "W6", "peer": "torch " + torch.__version__, "tokens_per_s": round(steps * batch * seq / secs),
                  "loss_300": round(sum(losses[-10:]) / 10, 4), "steps": steps, "warmup_steps": WARMUP,
                  "warmup_tokens_per_s": round(WARMUP * batch * seq / cold), "vocab": len(chars),
                  "peak_rss_mb": peak_rss_mb(), "threads": threads, "date": datetime.date.today().isoformat()}))
