#!/usr/bin/env bash
# Step throughput of two builds and the PyTorch peer in one window, alternating: for each round, thread count and dev
# workload, `algoperf bench step` of build A (with the peer, as step_table.sh), then of build B (no peer). One JSON
# line per measurement with "build" = A or B added; benchmarks/step_compare.py turns them into the median table.
#   benchmarks/step_compare.sh ROUNDS A_DLL B_DLL > results.jsonl
#   e.g. benchmarks/step_compare.sh 2 artifacts/bin/AlgoPerf.Seed/release/algoperf.dll ../old/artifacts/bin/AlgoPerf.Seed/release/algoperf.dll
# NICE as step_table.sh; OPENBLAS_NUM_THREADS = the thread count. Each side runs with its own best OpenMP wait policy:
# A (TorchSharp) libgomp's default, the peer PASSIVE (PythonPeer sets it), B_POLICY for B (default PASSIVE: the retired
# LibTorch 1.13 binding's setting).
set -euo pipefail
unset OMP_WAIT_POLICY
b_policy="${B_POLICY:-PASSIVE}"
rounds="$1"; a="$2"; b="$3"
nice_level="${NICE:-$([ "$(id -u)" = 0 ] && echo -15 || echo 0)}"
tag() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["build"]=sys.argv[1]; print(json.dumps(d))' "$1"; }
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    for w in fmnist_mlp dlrm_synth fmnist_resnet fmnist_vit lm_transformer unet_denoise; do
      case "$w" in fmnist_mlp|dlrm_synth) s=5 ;; *) s=12 ;; esac
      OPENBLAS_NUM_THREADS="$threads" nice -n "$nice_level" dotnet "$a" bench step --workload "$w" --threads "$threads" --seconds "$s" --format json | tag A
      OMP_WAIT_POLICY="$b_policy" OPENBLAS_NUM_THREADS="$threads" nice -n "$nice_level" dotnet "$b" bench step --workload "$w" --threads "$threads" --seconds "$s" --format json --no-peer | tag B
    done
  done
done
