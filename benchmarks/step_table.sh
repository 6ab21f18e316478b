#!/usr/bin/env bash
# Side-by-side step throughput, ours vs the PyTorch peer, for the dev workloads at 1 and 2 threads, ROUNDS rounds each
# (each round: `algoperf bench step` times ours, then runs the peer for the same seconds). Prints one JSON line per
# measurement; benchmarks/step_table.py turns them into the median table.
#   benchmarks/step_table.sh [ROUNDS] [ALGOPERF_DLL] > results.jsonl
# NICE (default -15 when run as root, else 0) runs both sides at a higher priority than other work on a shared machine.
# OPENBLAS_NUM_THREADS is set to the thread count for both sides: the peer (Debian's PyTorch 1.13) does its GEMMs in OpenBLAS
# (pthread build), whose pool ignores torch.set_num_threads (ours sizes it with --threads since 2026-12-01; the peer
# needs the variable). OMP_WAIT_POLICY: ours libgomp's default unless given, the peer PASSIVE (PythonPeer sets it:
# libgomp's spinning starves its OpenBLAS threads at 2 threads, docs/trainer.md §8).
set -euo pipefail
rounds="${1:-3}"
dll="${2:-artifacts/bin/AlgoPerf.Seed/release/algoperf.dll}"
nice_level="${NICE:-$([ "$(id -u)" = 0 ] && echo -15 || echo 0)}"
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    for w in fmnist_mlp dlrm_synth fmnist_resnet fmnist_vit lm_transformer unet_denoise; do
      case "$w" in fmnist_mlp|dlrm_synth) s=5 ;; *) s=12 ;; esac
      OPENBLAS_NUM_THREADS="$threads" nice -n "$nice_level" dotnet "$dll" bench step --workload "$w" --threads "$threads" --seconds "$s" --format json
    done
  done
done
