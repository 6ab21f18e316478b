#!/usr/bin/env bash
# Sets up the machine (scripts/bootstrap.sh), starts a local PostgreSQL for the journal conformance suite (stopped
# again at the end unless it was already running), and runs every test project. Ends with one summary line "N passed,
# N failed, N skipped". Exit code 0 only if nothing failed.
#   scripts/test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Halton]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# --with-browser: Chromium for the dashboard's browser test (tests/Integration.Tests/Dashboard).
"$repo/scripts/bootstrap.sh" --with-browser

# A server this run starts is stopped when it ends; one that was already running (a developer's) is left as it was.
if ! "$repo/scripts/postgres.sh" status; then
  trap '"$repo/scripts/postgres.sh" stop' EXIT
fi
ALGOPERF_TEST_PG="$("$repo/scripts/postgres.sh" start)"
export ALGOPERF_TEST_PG
# Tests that need a service fail (never skip) when this is set and the service is missing.
export ALGOPERF_REQUIRE_SERVICES=1
# As ./algoperf does: one malloc arena from the first thread on (TorchAllocatorTests asserts what it gives).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"

results="$repo/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
for proj in tests/*/*.Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  echo "=== $name"
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 10m "$@" || status=1
done

# One closing line over all projects, from the TRX files (dotnet test prints one summary per project).
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        continue
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
