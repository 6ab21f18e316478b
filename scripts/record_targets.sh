#!/usr/bin/env bash
# Stages for commit what a target-setting run directory (scripts/set_targets.sh's RUN_DIR) holds of its finished
# trials, so that a run longer than one session or one machine's lease goes on from a clean clone: each workload's
# trials.jsonl (the trials that ran to their end) and memory.jsonl, the directories of the trials trials.jsonl lists
# (their AlgoPerf files, checkpoints excluded by RUN_DIR's .gitignore), the derivations (<workload>.json, once
# written) and the tuning logs. A trial still running is not staged: from a clean clone it starts again from its
# beginning.
#   scripts/record_targets.sh benchmarks/targets && git commit -m "..."
# Then, from a clean clone, the same scripts/set_targets.sh command resumes: a trial trials.jsonl lists is done.
set -euo pipefail
run_dir="${1:?usage: scripts/record_targets.sh RUN_DIR}"
[ -d "$run_dir" ] || { echo "record_targets: $run_dir is not a directory" >&2; exit 1; }
git -C "$run_dir" rev-parse --is-inside-work-tree > /dev/null 2>&1 || { echo "record_targets: $run_dir is not inside a git work tree" >&2; exit 1; }
git check-ignore -q "$run_dir/x.ckpt" 2>/dev/null || { echo "record_targets: checkpoints under $run_dir are not ignored by git; add a .gitignore with '*.ckpt' and '*.tmp' there (benchmarks/targets has one)" >&2; exit 1; }
staged=0
for ledger in "$run_dir"/*/trials.jsonl; do
  [ -f "$ledger" ] || continue
  workload_dir="$(dirname "$ledger")"
  paths=("$ledger")
  [ -f "$workload_dir/memory.jsonl" ] && paths+=("$workload_dir/memory.jsonl")
  # trials.jsonl's "directory" fields, relative to the workload's run directory.
  dirs="$(python3 -c '
import json, sys
path = sys.argv[1]
for number, line in enumerate(open(path, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        print(json.loads(line)["directory"])
    except (ValueError, KeyError, TypeError) as e:
        if line.endswith("\n"):
            sys.exit(f"record_targets: {path}:{number}: not a trials.jsonl entry ({e})")
' "$ledger")"
  while IFS= read -r dir; do
    [ -n "$dir" ] || continue
    [ -d "$workload_dir/$dir" ] || { echo "record_targets: $ledger lists $dir, which is missing under $workload_dir" >&2; exit 1; }
    paths+=("$workload_dir/$dir")
    staged=$((staged + 1))
  done <<< "$dirs"
  git add -- "${paths[@]}"
done
shopt -s nullglob
extras=("$run_dir"/*.log)
# A derivation redirected from `targets run` by hand is empty until the run ends (set_targets.sh writes it whole).
for derivation in "$run_dir"/*.json; do
  [ -s "$derivation" ] && extras+=("$derivation")
done
[ ${#extras[@]} -gt 0 ] && git add -- "${extras[@]}"
git add -- "$run_dir/.gitignore" 2>/dev/null || true
echo "record_targets: staged $staged finished trials under $run_dir (checkpoints excluded)"
