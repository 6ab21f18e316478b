#!/usr/bin/env bash
# Sets up the machine and runs the main job: the quickstart benchmark (hocon/quickstart.conf). Two baselines are tuned
# on the smallest dev workload, every trial is timed under the AlgoPerf clock, and the run is scored with the reference
# procedure. The journal, AlgoPerf-format logs and the report land in runs/quickstart/. Run it again to resume an
# interrupted run (finished trials are not re-run); delete runs/quickstart/ to start over.
#   scripts/quickstart.sh [--run-dir DIR] [--trainers N] [--threads T]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/bootstrap.sh"
cd "$repo"
exec ./algoperf run hocon/quickstart.conf "$@"
