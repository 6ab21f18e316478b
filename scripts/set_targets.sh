#!/usr/bin/env bash
# The dev suite's target-setting procedure (docs/targets.md) for one workload family: the base workload with the four
# target-setting algorithms, then its variant with NAdamW and the base's best algorithm (AlgoPerf set its variants'
# targets with two algorithms). Each step prints the derivation and writes it as JSON next to the runs.
#   scripts/set_targets.sh BASE VARIANT EVAL_PERIOD_S [RUN_DIR]
#   e.g. scripts/set_targets.sh fmnist_mlp fmnist_mlp_gelu 0.5 runs/targets
# TRIALS (default 20) trials per algorithm on the base, VARIANT_TRIALS (default TRIALS) on the variant, RERUNS
# (default 5) reruns of the selected configuration, THREADS (default 2: the reference machine's cores) per trial.
# Resumable: rerunning it continues where it stopped (finished trials end at once from their last checkpoint).
set -euo pipefail
base="$1"; variant="$2"; eval_period="$3"; run_dir="${4:-runs/targets}"
trials="${TRIALS:-20}"; variant_trials="${VARIANT_TRIALS:-$trials}"; reruns="${RERUNS:-5}"; threads="${THREADS:-2}"
algoperf="${ALGOPERF:-$(dirname "$(readlink -f "$0")")/../algoperf}"
mkdir -p "$run_dir"
# NAdamW is tuned on the archived paper baseline's Halton space (algoperf-rules.md §8.2), as AlgoPerf's target setting
# did; its built-in space is the v0.5 baseline's list of 5 points.
spaces="nadamw=$(dirname "$(readlink -f "$0")")/../submissions/nadamw/archived_paper_search_space.json"

"$algoperf" targets run --workload "$base" --run-dir "$run_dir/$base" --trials "$trials" --reruns "$reruns" \
  --eval-period "$eval_period" --threads "$threads" --search-space "$spaces" --format json > "$run_dir/$base.json"
best="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["selected"]["submission"])' "$run_dir/$base.json")"
algorithms="nadamw"; [ "$best" != nadamw ] && algorithms="nadamw,$best"
"$algoperf" targets run --workload "$variant" --run-dir "$run_dir/$variant" --algorithms "$algorithms" \
  --trials "$variant_trials" --reruns "$reruns" --eval-period "$eval_period" --threads "$threads" --search-space "$spaces" --format json > "$run_dir/$variant.json"
for w in "$base" "$variant"; do "$algoperf" targets derive --workload "$w" --run-dir "$run_dir/$w" --reruns "$reruns"; done
