#!/usr/bin/env python3
"""Summary of the memory traces `./algoperf targets run` writes (<run-dir>/memory.jsonl, one line per trial: live tensor
handles and resident memory before a trial, at its start, evals and checkpoints, and after it), one row per file:
trials, steps, evals and checkpoints in all, the range of live handles during and after the trials, and resident memory
after the first trial and after the last, and, where the trace has them (since 2026-12-01, third session), the C heap's
live bytes and kept-free bytes after the first trial and after the last: a leak grows the live bytes, memory the
allocator keeps (a new peak, fragmentation) the free ones. Trials resumed from the checkpoint of their own end (nothing
trained) are left out.  Usage: memory_summary.py runs/targets/*/memory.jsonl"""
import json, sys


def heap(rows, key):
    """First and last value of a heap field over the trials that have it ('-' for traces written before it existed)."""
    values = [r[key] for r in rows if r.get(key) is not None]
    return f"{values[0]} / {values[-1]}" if values else "-"


print("| trace | trials | steps | evals | checkpoints | live handles during trials | live handles after each | RSS MB after trial 1 | RSS MB after last | RSS MB max | heap live MB after trial 1 / last | heap free MB after trial 1 / last |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    rows = [json.loads(line) for line in open(path) if line.strip()]
    rows = [r for r in rows if r.get("resumed_from_step", 0) < r["steps"]]
    if not rows:
        continue
    during = [r["handles_min"] for r in rows if r["handles_min"] is not None] + [r["handles_max"] for r in rows if r["handles_max"] is not None]
    after = sorted({r["handles_after"] for r in rows})
    rss_max = max(max(r["rss_mb_max"] or 0, r["rss_mb_after"]) for r in rows)
    print(f"| {path} | {len(rows)} | {sum(r['steps'] - r.get('resumed_from_step', 0) for r in rows)} | {sum(r['evals'] for r in rows)} | {sum(r['checkpoints'] for r in rows)} "
          f"| {min(during)}-{max(during)} | {', '.join(map(str, after))} | {rows[0]['rss_mb_after']} | {rows[-1]['rss_mb_after']} | {rss_max} "
          f"| {heap(rows, 'heap_in_use_mb_after')} | {heap(rows, 'heap_free_mb_after')} |")
