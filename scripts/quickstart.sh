#!/usr/bin/env bash
# Sets up the machine and runs the quickstart benchmark (the main job).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/bootstrap.sh"
exec "$repo/algoperf" version
