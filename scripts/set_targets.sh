#!/usr/bin/env bash
# The dev suite's target-setting procedure (docs/targets.md) for one workload family: the base workload with the four
# target-setting algorithms, then its variant with NAdamW and the base's best algorithm (AlgoPerf set its variants'
# targets with two algorithms). Each step prints the derivation and writes it as JSON next to the runs.
#   scripts/set_targets.sh BASE VARIANT EVAL_PERIOD_S [RUN_DIR]
#   e.g. scripts/set_targets.sh fmnist_mlp fmnist_mlp_gelu 0.5 runs/targets
# TRIALS (default 20) trials per algorithm on the base, VARIANT_TRIALS (default TRIALS) on the variant, RERUNS
# (default 5) reruns of the selected configuration, THREADS (default 2: the reference machine's cores) per rerun.
# JOBS (default 1): tune in JOBS processes at once (`targets tune --shard`), each with THREADS/JOBS threads (at least
# 1); the reruns, whose runtimes set the budget, then run one at a time with THREADS threads, as the reference
# configuration trains. A tuning trial's result is set by its seed and point; the thread split changes only rounding
# and at which steps its time-based evals fall (docs/targets.md).
# Resumable: rerunning it continues where it stopped (a trial listed in its workload's trials.jsonl is done, with or
# without its checkpoints; others resume from their last checkpoint). To carry a run across sessions or machines, use
# RUN_DIR benchmarks/targets and commit what scripts/record_targets.sh stages (docs/targets.md).
set -euo pipefail
base="$1"; variant="$2"; eval_period="$3"; run_dir="${4:-runs/targets}"
trials="${TRIALS:-20}"; variant_trials="${VARIANT_TRIALS:-$trials}"; reruns="${RERUNS:-5}"; threads="${THREADS:-2}"
jobs="${JOBS:-1}"; tune_threads=$(( threads / jobs > 0 ? threads / jobs : 1 ))
algoperf="${ALGOPERF:-$(dirname "$(readlink -f "$0")")/../algoperf}"
mkdir -p "$run_dir"
# NAdamW is tuned on the archived paper baseline's Halton space (algoperf-rules.md §8.2), as AlgoPerf's target setting
# did; its built-in space is the v0.5 baseline's list of 5 points.
spaces="nadamw=$(dirname "$(readlink -f "$0")")/../submissions/nadamw/archived_paper_search_space.json"

# set_family WORKLOAD TRIALS [--algorithms LIST]: tune (sharded when JOBS > 1), then select, rerun and derive.
set_family() {
  local workload="$1" n="$2"; shift 2
  local common=(--workload "$workload" --run-dir "$run_dir/$workload" --trials "$n" --eval-period "$eval_period" --search-space "$spaces" "$@")
  if [ "$jobs" -gt 1 ]; then
    local pids=() i
    for i in $(seq 1 "$jobs"); do
      "$algoperf" targets tune "${common[@]}" --shard "$i/$jobs" --threads "$tune_threads" >> "$run_dir/$workload-tune-$i.log" 2>&1 &
      pids+=($!)
    done
    for i in "${!pids[@]}"; do
      wait "${pids[$i]}" || { echo "set_targets: tuning shard $((i + 1))/$jobs of $workload failed; see $run_dir/$workload-tune-$((i + 1)).log" >&2; exit 1; }
    done
  fi
  # Progress to the terminal and, appended, to a log kept with the run (which record_targets.sh stages). The derivation
  # goes to a temporary first, so one from an earlier run stays whole until a new one has been written in full.
  "$algoperf" targets run "${common[@]}" --reruns "$reruns" --threads "$threads" --format json > "$run_dir/$workload.json.tmp" \
    2> >(tee -a "$run_dir/$workload-run.log" >&2)
  mv -f "$run_dir/$workload.json.tmp" "$run_dir/$workload.json"
}

set_family "$base" "$trials"
best="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["selected"]["submission"])' "$run_dir/$base.json")"
algorithms="nadamw"; [ "$best" != nadamw ] && algorithms="nadamw,$best"
set_family "$variant" "$variant_trials" --algorithms "$algorithms"
for w in "$base" "$variant"; do "$algoperf" targets derive --workload "$w" --run-dir "$run_dir/$w" --reruns "$reruns"; done
