#!/usr/bin/env bash
# Does each base workload's selected target-setting configuration still reach its validation target within its budget?
# One trial per workload, alone on the machine at the reference configuration's 2 threads, through `algoperf train`
# under the v0.6 clock with the dev-suite spec (targets, budget, eval period): the selected submission and Halton trial
# of the target-setting record (benchmarks/results/2026-12-0*/targets_W.json or benchmarks/targets/W.json), drawn from
# the space it was tuned on (NAdamW: the archived paper space, as scripts/set_targets.sh), with the train command's seed.
# Prints one JSON line per workload: reached, the first eval step and time that reached it, the best value, budget.
#   benchmarks/targets_check.sh RUN_DIR [WORKLOAD...]      (default: the six base workloads)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_dir="$1"; shift
workloads=("$@"); [ ${#workloads[@]} -gt 0 ] || workloads=(fmnist_mlp dlrm_synth fmnist_resnet unet_denoise fmnist_vit lm_transformer)
for w in "${workloads[@]}"; do
  record="$( (ls "$repo"/benchmarks/targets/"$w".json "$repo"/benchmarks/results/2026-12-0*/targets_"$w".json 2>/dev/null || true) | head -1)"
  # The tuning drew N Halton points per algorithm (N = trials / algorithms; the k-th point depends on N) from the
  # submission's space, shuffle seed 0, as TargetSettingRun does.
  read -r submission trial per_algorithm < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["selected"]; print(s["submission"], s["trial"], d["tuning_trials"] // len(d.get("algorithms") or [0, 0, 0, 0]))' "$record")
  space="$repo/submissions/$submission/tuning_search_space.json"
  [ "$submission" = nadamw ] && space="$repo/submissions/nadamw/archived_paper_search_space.json"
  rm -rf "$run_dir/$w"; mkdir -p "$run_dir/$w"
  "$repo/algoperf" tune sample --search-space "$space" --num-trials "$per_algorithm" --shuffle-seed 0 \
    | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[int(sys.argv[1]) - 1]))' "$trial" >"$run_dir/$w/selected_hparams.json"
  "$repo/algoperf" train --workload "$w" --submission "$submission" --hparams "$run_dir/$w/selected_hparams.json" \
    --run-dir "$run_dir/$w" --threads 2 --no-resume >"$run_dir/$w.log" 2>&1 || true
  python3 - "$run_dir/$w" "$w" "$submission" "$trial" "$record" <<'PY'
import csv, glob, json, sys
d, w, sub, trial, record = sys.argv[1:]
rec = json.load(open(record))
target, budget = rec["validation_target"], rec["max_runtime_sec"]
key = rec["metric"]
maximize = "accuracy" in key or "ssim" in key
rows = list(csv.DictReader(open(glob.glob(d + "/**/eval_measurements.csv", recursive=True)[0])))
vals = [(int(r["global_step"]), float(r["accumulated_submission_time"]), float(r[key])) for r in rows if r.get(key) not in (None, "", "nan")]
hit = next(((s, t, v) for s, t, v in vals if (v >= target if maximize else v <= target)), None)
best = (max if maximize else min)(v for _, _, v in vals)
hp = json.load(open(d + "/selected_hparams.json"))
print(json.dumps({"workload": w, "submission": sub, "trial": int(trial), "metric": key, "target": target, "budget_sec": budget,
                  "reached": hit is not None and hit[1] <= budget, "reached_at_step": hit and hit[0], "reached_at_sec": hit and round(hit[1], 2),
                  "best": best, "evals": len(vals), "hparams": hp}))
PY
done
