#!/usr/bin/env bash
# Data-parallel figures for docs/data-parallel.md and issue 22: `bench dp` steps/s of one rank against gangs of two
# (in-process and Gloo), alternating so that drift of the machine hits every configuration alike, with glibc's one
# malloc arena (./algoperf's default) and with four; then the ceiling: two independent processes at the half batch.
#   benchmarks/dp_bench.sh OUT.jsonl [REPS]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: benchmarks/dp_bench.sh OUT.jsonl [REPS]}"
reps="${2:-3}"
# Built once through the launcher, then run directly: an edit to the sources during the run must not rebuild it.
"$repo/algoperf" version > /dev/null
dll="$repo/artifacts/bin/AlgoPerf.Seed/release/algoperf.dll"
algoperf() { dotnet "$dll" "$@"; }
: > "$out.tmp"
for rep in $(seq "$reps"); do
  for arenas in 1 4; do
    for w in fmnist_mlp dlrm_synth; do
      for cfg in "1 inprocess" "2 inprocess" "2 gloo"; do
        set -- $cfg
        MALLOC_ARENA_MAX=$arenas algoperf bench dp --workload "$w" --ranks "$1" --reducer "$2" --seconds 5 --format json >> "$out.tmp"
      done
    done
  done
done
# The ceiling of two ranks on this machine: two processes, each one rank on half the global batch, side by side.
for w in fmnist_mlp dlrm_synth; do
  half=$(( $([ "$w" = dlrm_synth ] && echo 512 || echo 128) / 2 ))
  MALLOC_ARENA_MAX=1 algoperf bench dp --workload "$w" --ranks 1 --batch "$half" --seconds 5 --format json | sed 's/^{/{"side_by_side":false,/' >> "$out.tmp"
  for i in 1 2; do
    MALLOC_ARENA_MAX=1 algoperf bench dp --workload "$w" --ranks 1 --batch "$half" --seconds 8 --format json | sed 's/^{/{"side_by_side":true,/' > "$out.side$i" &
  done
  wait
  cat "$out.side1" "$out.side2" >> "$out.tmp"
  rm -f "$out.side1" "$out.side2"
done
mv "$out.tmp" "$out"
