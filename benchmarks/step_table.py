#!/usr/bin/env python3
"""Median table of benchmarks/step_table.sh's JSON lines: per (workload, threads) the median steps/s of ours and of the
peer over the rounds, and the median of the per-round ratios.  Usage: step_table.py results.jsonl"""
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    rows.setdefault((r["workload"], r["threads"]), []).append(r)
print("| workload | threads | batch | params | ours steps/s | peer steps/s | ratio (median of rounds) | rounds |")
print("|---|---|---|---|---|---|---|---|")
for (w, t), rs in rows.items():
    med = lambda k: statistics.median(r[k] for r in rs)
    print(f"| {w} | {t} | {rs[0]['batch']} | {rs[0]['param_count']} | {med('steps_per_sec'):.3f} | {med('peer_steps_per_sec'):.3f} | {med('ratio'):.2f} | {len(rs)} |")
