#!/usr/bin/env python3
"""Median table of benchmarks/step_compare.sh's output: build A, the PyTorch peer (measured with A), build B, A/peer, A/B.
   python3 benchmarks/step_compare.py results.jsonl"""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
a, peer, b = defaultdict(list), defaultdict(list), defaultdict(list)
for r in rows:
    k = (r["workload"], r["threads"])
    if r["build"] == "A":
        a[k].append(r["steps_per_sec"])
        if "peer_steps_per_sec" in r:
            peer[k].append(r["peer_steps_per_sec"])
    else:
        b[k].append(r["steps_per_sec"])
print("| workload | threads | A steps/s | peer steps/s | B steps/s | A / peer | A / B | rounds |")
print("|---|---|---|---|---|---|---|---|")
for k in sorted(a, key=lambda k: (k[1], list(dict.fromkeys(x[0] for x in a)).index(k[0]))):
    ma, mb = statistics.median(a[k]), statistics.median(b[k]) if b[k] else float("nan")
    mp = statistics.median(peer[k]) if peer[k] else float("nan")
    print(f"| {k[0]} | {k[1]} | {ma:.3f} | {mp:.3f} | {mb:.3f} | {ma / mp:.2f} | {ma / mb:.2f} | {len(a[k])} |")
