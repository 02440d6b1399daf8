#!/usr/bin/python3
"""W5 with PyTorch: a character LSTM language model on the Brown corpus: embedding 64, 1 layer,
hidden 256, seq 64, batch 32, Adam 2e-3, gradient norm clipped at 5; batches of random windows
of the first 90% of the text. Training tokens/s (batching included) and the mean loss of steps
291-300 (nats per character). --quick: 30 steps.

Data: brown.txt in $GLASSBOX_BENCH_DATA, else ../shared/data beside the project. PyTorch on 1
thread, OpenBLAS limited to 2, OMP_WAIT_POLICY=PASSIVE (set by the runner).
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

import brown   # beside this script

quick = "--quick" in sys.argv
steps = 30 if quick else 300
torch.set_num_threads(1)
chars, ids = brown.train_ids()
batch, seq = 32, 64


class Lm(nn.Module):
    def __init__(self, v):
        super().__init__()
        self.embed = nn.Embedding(v, 64)
        self.rnn = nn.LSTM(64, 256, batch_first=True)
        self.head = nn.Linear(256, v)

    def forward(self, x):
        return self.head(self.rnn(self.embed(x))[0])


WARMUP = 3 if quick else 60   # steps of a throwaway model first, untimed, as Glassbox does ("timing after a warm-up")


def train(n, model_seed, batch_seed):
    """Trains a fresh model n steps; returns (seconds, losses)."""
    torch.manual_seed(model_seed)
    model = Lm(len(chars))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
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
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        losses.append(loss.item())
    return time.perf_counter() - t, losses


with threadpool_limits(limits=2, user_api="blas"):
    cold, _ = train(WARMUP, 11, 12)
    secs, losses = train(steps, 1, 2)
print(json.dumps({"id": "W5", "peer": "torch " + torch.__version__, "tokens_per_s": round(steps * batch * seq / secs),
                  "loss_300": round(sum(losses[-10:]) / 10, 4), "steps": steps, "warmup_steps": WARMUP,
                  "warmup_tokens_per_s": round(WARMUP * batch * seq / cold), "vocab": len(chars),
                  "threads": 1, "date": datetime.date.today().isoformat()}))
