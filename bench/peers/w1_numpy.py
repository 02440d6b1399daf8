#!/usr/bin/python3
"""W1 with OpenBLAS through numpy: C = A·B, square n, 1 and 2 threads; GFLOPS = 2n³/s.

Prints one JSON object with the keys of ../shared/BENCHMARKS.md (gflops_n{n}_t{threads}).
Needs: apt-get install python3-numpy python3-threadpoolctl libopenblas0-pthread
"""
import datetime
import json
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

quick = "--quick" in sys.argv
sizes = [128, 256] if quick else [128, 256, 512, 1024, 2048]


def gflops(n, threads, ta=False, tb=False):
    rng = np.random.default_rng(n)
    a = rng.random((n, n), dtype=np.float32)
    b = rng.random((n, n), dtype=np.float32)
    a_ = a.T if ta else a
    b_ = b.T if tb else b
    inner = max(1, int(2e8 / (2.0 * n ** 3)))
    with threadpool_limits(limits=threads, user_api="blas"):
        for _ in range(3):
            for _ in range(inner):
                a_ @ b_
        samples = []
        for _ in range(5 if quick else 15):
            t = time.perf_counter()
            for _ in range(inner):
                a_ @ b_
            samples.append(inner * 2.0 * n ** 3 / (time.perf_counter() - t) / 1e9)
    samples.sort()
    return round(samples[len(samples) // 2], 1)


out = {"id": "W1", "peer": "numpy " + np.__version__}
blas = [p for p in threadpool_info() if p.get("user_api") == "blas"]
out["blas"] = (blas[0].get("internal_api", "?") + " " + blas[0].get("version", "") + " " + blas[0].get("architecture", "")).strip() if blas else "none"
for threads in (1, 2):
    for n in sizes:
        out[f"gflops_n{n}_t{threads}"] = gflops(n, threads)
n = 256 if quick else 1024
out[f"gflops_n{n}_t2_AtB"] = gflops(n, 2, ta=True)
out[f"gflops_n{n}_t2_ABt"] = gflops(n, 2, tb=True)
out["threads"] = 2
out["date"] = datetime.date.today().isoformat()
print(json.dumps(out))
