#!/usr/bin/env python3
"""Peer benchmark for `./algoperf bench ops`: PyTorch eager per-op dispatch overhead, measured exactly like the C#
side (src/Seed/Commands/Bench/OpsBenchmark.cs): small adds on 16-element float32 tensors (out of place and in place)
and a small MLP training step (forward, cross-entropy, backward, in-place SGD, grads set to None).
Needs Debian's python3-torch: run it with /usr/bin/python3. Prints one JSON line.
Usage: torch_ops_bench.py [threads] [ops_per_repeat] [repeats] [mlp_steps]"""
import json, sys, time
import torch, torch.nn as nn, torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 7
mlp_steps = int(sys.argv[4]) if len(sys.argv) > 4 else 300
torch.set_num_threads(threads)
g = torch.Generator().manual_seed(0)

def best_us(body):
    body(n // 10)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter(); body(n); dt = time.perf_counter() - t0
        best = min(best, dt / n * 1e6)
    return best

a = torch.randn(16, generator=g); b = torch.randn(16, generator=g)
def add(k):
    for _ in range(k): a + b
def add_(k):
    x = a.clone()
    for _ in range(k): x.add_(b, alpha=1e-9)
def mul_scalar(k):
    for _ in range(k): a * 0.5

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
x = torch.randn(32, 64, generator=g); y = torch.randint(0, 10, (32,), generator=g)
params = list(model.parameters())
def step():
    for p in params: p.grad = None
    F.cross_entropy(model(x), y).backward()
    with torch.no_grad():
        for p in params: p.add_(p.grad, alpha=-0.01)
for _ in range(20): step()
best_sps = 0.0
for _ in range(3):
    t0 = time.perf_counter()
    for _ in range(mlp_steps): step()
    best_sps = max(best_sps, mlp_steps / (time.perf_counter() - t0))

print(json.dumps({
    "peer": "pytorch " + torch.__version__, "threads": threads,
    "add_us": round(best_us(add), 3), "add_inplace_us": round(best_us(add_), 3), "mul_scalar_us": round(best_us(mul_scalar), 3),
    "mlp_steps_per_sec": round(best_sps, 1),
}), flush=True)
