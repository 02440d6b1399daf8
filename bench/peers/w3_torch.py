#!/usr/bin/python3
"""W3 with PyTorch: the course's DNN 25-3-3-10 (sigmoid hidden, softmax output, cross-entropy),
SGD lr 0.5, batch 32, 20,000 steps over 3,200 fixed random examples; steps/s.

PyTorch at its best here: OMP_WAIT_POLICY=PASSIVE (set by the runner), 1 PyTorch thread,
OpenBLAS limited to 2. Needs: apt-get install python3-torch python3-threadpoolctl
"""
import datetime
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

quick = "--quick" in sys.argv
steps = 2000 if quick else 20000
torch.set_num_threads(1)
torch.manual_seed(3)
n, batch = 3200, 32
x = torch.rand(n, 25)
y = torch.randint(0, 10, (n,))
xb = list(x.split(batch))
yb = list(y.split(batch))


class Dnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(25, 3)
        self.hidden2 = nn.Linear(3, 3)
        self.output = nn.Linear(3, 10)

    def forward(self, v):
        return self.output(torch.sigmoid(self.hidden2(torch.sigmoid(self.hidden1(v)))))


rates = []
with threadpool_limits(limits=2, user_api="blas"):
    for r in range(1 if quick else 3):
        model = Dnn()
        opt = torch.optim.SGD(model.parameters(), lr=0.5)

        def step(i):
            b = i % len(xb)
            opt.zero_grad()
            F.cross_entropy(model(xb[b]), yb[b]).backward()
            opt.step()

        for i in range(steps // 4):
            step(i)
        t = time.perf_counter()
        for i in range(steps):
            step(i)
        rates.append(steps / (time.perf_counter() - t))
rates.sort()
print(json.dumps({"id": "W3", "peer": "torch " + torch.__version__, "steps_per_s": round(rates[len(rates) // 2]),
                  "threads": 1, "date": datetime.date.today().isoformat()}))
