#!/usr/bin/env bash
# Eval time of one short tuning trial: 120 steps at 1 thread, an eval every 5 s of submission time (about 8 evals over
# eval_train, validation and test), with the process's minor page faults, to compare allocator settings or builds.
#   benchmarks/eval_time.sh ALGOPERF_DLL [WORKLOAD] [OUT_DIR]
#   e.g. benchmarks/eval_time.sh artifacts/bin/AlgoPerf.Seed/release/algoperf.dll fmnist_vit_post_ln
# Prints one line per eval (step, seconds) and a summary.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dll="$(readlink -f "$1")"; workload="${2:-fmnist_vit_post_ln}"; out="${3:-$(mktemp -d)}"
rm -rf "$out/run"; mkdir -p "$out/run"
/usr/bin/time -o "$out/time.txt" -f "%e s wall, %R minor page faults, %M KB max RSS" \
  dotnet "$dll" targets tune --workload "$workload" --run-dir "$out/run" --shard 1/1 --algorithms nadamw --trials 1 \
  --eval-period 5 --threads 1 --max-steps 120 \
  --search-space "nadamw=$repo/submissions/nadamw/archived_paper_search_space.json" > "$out/log" 2>&1
python3 - "$out" "$workload" <<'PY'
import csv, glob, statistics, sys
out, workload = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(glob.glob(out + "/run/**/eval_measurements.csv", recursive=True)[0])))
prev, times = 0.0, []
for r in rows:
    t = float(r["accumulated_eval_time"]); times.append(t - prev); prev = t
    print(f"eval at step {r['global_step']}: {times[-1]:.1f} s")
print(f"{workload}: {len(times)} evals, first {times[0]:.1f} s, median of the rest {statistics.median(times[1:]):.1f} s, "
      f"total {sum(times):.1f} s; " + open(out + "/time.txt").read().strip())
PY
