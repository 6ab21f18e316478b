#!/usr/bin/env python3
"""Wall time of an `algoperf run` and the share of it the trainers spent inside trials.

    benchmarks/quickstart_time.py ALGOPERF_LAUNCHER CONFIG RUN_DIR [--trainers N]

Runs `ALGOPERF_LAUNCHER run CONFIG --run-dir RUN_DIR` (RUN_DIR must not exist: a fresh run), times it, then reads
every trial's eval_measurements.csv under RUN_DIR/logs: a trial's time inside the trainer is its last row's
total_duration (the reference's wall clock of the trial, from its start to its last eval). Prints one JSON object:
wall_sec, trials, trial_sec (their sum), busy_fraction = trial_sec / (wall_sec x trainers), and where the rest went
is the difference (process start, planning, journal, scoring and report). The same script measures any version of
the product, so before/after figures compare like with like.
"""
import csv
import glob
import json
import os
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    launcher, config, run_dir = sys.argv[1:4]
    trainers = int(sys.argv[sys.argv.index("--trainers") + 1]) if "--trainers" in sys.argv else 1
    if os.path.exists(run_dir):
        print(f"{run_dir} exists: give a fresh run directory", file=sys.stderr)
        return 2
    start = time.monotonic()
    proc = subprocess.run([launcher, "run", config, "--run-dir", run_dir, "--trainers", str(trainers)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        return proc.returncode
    trial_sec = 0.0
    trials = 0
    for path in glob.glob(os.path.join(run_dir, "logs", "*", "study_*", "*", "trial_*", "eval_measurements.csv")):
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        if rows:
            trials += 1
            trial_sec += float(rows[-1]["total_duration"])
    print(json.dumps({
        "wall_sec": round(wall, 2),
        "trials": trials,
        "trial_sec": round(trial_sec, 2),
        "trainers": trainers,
        "busy_fraction": round(trial_sec / (wall * trainers), 4),
        "scores": [line for line in proc.stdout.splitlines() if line.strip()][-6:],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
