#!/usr/bin/env bash
# Cluster mode under faults, with real processes on 127.0.0.1 (`algoperf seed` / `algoperf worker`) over the local
# PostgreSQL (scripts/postgres.sh), at the product's default cluster settings. TRIES tries of each:
#   worker-kill: one coordinator, three workers of one trainer, the tiny benchmark with one submission (two trials of
#     30 s, so one worker is idle). Once both trials have an eval in the journal, the worker that runs the first one is
#     killed with SIGKILL; measured: from the kill to the coordinator's log line
#     "scheduler: <trial> (attempt 2) -> <another worker>" (its millisecond timestamp).
#   coordinator-failover: two coordinators (both seed nodes, the first started first, so it is the oldest and holds
#     the singleton) and two workers, the tiny benchmark's four trials of 30 s. Mid-trial, the first coordinator is
#     killed with SIGKILL; measured: from the kill to the second's log line "coordinator: starting", and to the next
#     eval-recorded row in the journal (results flowing again).
# (set -e does not reach into a try, which runs left of ||: every step that can fail returns 1 itself.)
# Each try has its own schema, run directory and ports (27000-27999), is bounded by timeouts, and ends by killing every
# process it started. Each try is one JSON line appended to OUT; a summary (each try, min/median/max) is printed.
#   benchmarks/cluster_faults.sh            # TRIES=5 OUT=benchmarks/results/2026-12-05/cluster_faults.jsonl
# Environment: TRIES, OUT, BASE_PORT (27000), ALGOPERF_PG_PORT (54329), KEEP=1 keeps each try's directory,
# ONLY=worker_kill|coordinator_failover runs one of the two.
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
dll="$repo/artifacts/bin/AlgoPerf.Seed/release/algoperf.dll"
tries="${TRIES:-5}"
out="${OUT:-$repo/benchmarks/results/2026-12-05/cluster_faults.jsonl}"
base_port="${BASE_PORT:-27000}"
pg_port="${ALGOPERF_PG_PORT:-54329}"
wait_limit=180      # seconds any one wait of a try may take
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"

[ -f "$dll" ] || { echo "cluster_faults.sh: $dll is missing: dotnet build src/Seed -c Release" >&2; exit 1; }
conn="$("$repo/scripts/postgres.sh" start | tail -1)"
mkdir -p "$(dirname "$out")"
results="$(mktemp /tmp/algoperf-faults-results-XXXXXX.jsonl)"
pids=()

kill_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  pids=()
}
trap 'kill_all; rm -f "$results"' EXIT

now_ms() { date -u +%s%3N; }

# The epoch milliseconds of a log line's "HH:MM:SS.mmm" (UTC, Akka's log timestamps), today.
line_ms() {
  local hms ms
  hms="$(cut -d' ' -f1 <<<"$1")"
  ms="$(date -u -d "$(date -u +%F) $hms" +%s%3N)"
  # A line written just before midnight, read after it.
  if [ "$ms" -gt "$(( $(now_ms) + 3600000 ))" ]; then ms=$(( ms - 86400000 )); fi
  echo "$ms"
}

psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -q -c "$1"; }

# A query in the try's schema; empty output before the journal's tables exist.
journal_q() { PGOPTIONS="-c search_path=$schema" timeout 10 psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -At -q -c "$1" 2>/dev/null || true; }

evals_in_journal() { local n; n="$(journal_q "SELECT count(*) FROM journal WHERE manifest = 'eval-recorded/v1'")"; echo "${n:-0}"; }

# Polls `$1` (a shell condition) every 100 ms until it holds; fails the try after wait_limit seconds or when a node the
# try needs has exited.
wait_for() {
  local what="$1" condition="$2" deadline=$(( $(date +%s) + wait_limit ))
  until eval "$condition"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "cluster_faults.sh: try $try: no $what within $wait_limit s (logs: $dir)" >&2
      return 1
    fi
    sleep 0.1
  done
}

# The tiny benchmark of RunCommandTests.WriteTinyConfig with trials of 30 s that reach no target.
write_config() {
  cat >"$dir/tiny.conf" <<EOF
algoperf {
  benchmark {
    name = tiny
    run-dir = "$dir/runs/tiny"
    rules = tiny
    seed = $1
    submissions = $2
    workloads = [fmnist_mlp]
    threads = 1
  }
  rules.tiny {
    clock-from = v0.6
    studies-external = 1
    studies-self-tuning = 1
    trials-per-study = 2
    self-tuning-budget-factor = 1.5
    workloads { fmnist_mlp { max-runtime = 30s, eval-period = 1s, validation-target = 0.99, test-target = 0.99 } }
  }
}
EOF
}

# start VERB PORT SEEDS [ARGS...]: a node in the background; its pid is in started_pid.
start() {
  local verb="$1" port="$2" seeds="$3"
  shift 3
  dotnet "$dll" "$verb" "$dir/tiny.conf" --seed-nodes "$seeds" --port "$port" --http-port -1 "$@" \
    >"$dir/$verb-$port.out" 2>"$dir/$verb-$port.err" &
  started_pid=$!
  # Not a job of this shell any more: no "Killed" notice when it is killed; kill_all polls for its end.
  disown "$started_pid"
  pids+=("$started_pid")
  port_pid[$port]=$started_pid
}

# The node log of the node on PORT (RUN/nodes/VERB-127.0.0.1-PORT-PID.log).
node_log() { ls "$dir"/runs/tiny/nodes/"$1"-127.0.0.1-"$2"-*.log 2>/dev/null | head -1; }

joined() { grep -q "joined the cluster" "$dir/$1-$2.err" 2>/dev/null; }

# The first line of FILE matching PATTERN (grep -E), or nothing.
first_line() { [ -n "$1" ] && grep -m1 -E "$2" "$1" 2>/dev/null || true; }

# The first line matching PATTERN after the kill (by its timestamp), as milliseconds since the kill, or null.
after_kill_ms() {
  local file="$1" pattern="$2" line ms
  [ -n "$file" ] || { echo null; return; }
  while IFS= read -r line; do
    ms="$(line_ms "$line")"
    if [ "$ms" -ge "$(( t_kill - 5 ))" ]; then echo $(( ms - t_kill )); return; fi
  done < <(grep -E "$pattern" "$file" 2>/dev/null | grep -E '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} ' || true)
  echo null
}

begin_try() {
  dir="$(mktemp -d /tmp/algoperf-faults-XXXXXX)"
  schema="faults_$(date +%s)_$1_$try"
  psql_admin "CREATE SCHEMA $schema" || return 1
  journal="$conn;Search Path=$schema"
  declare -gA port_pid=()
}

end_try() {
  kill_all
  psql_admin "DROP SCHEMA IF EXISTS $schema CASCADE" || true
  if [ "${KEEP:-0}" = 1 ]; then echo "cluster_faults.sh: kept $dir" >&2; else rm -rf "$dir"; fi
}

worker_kill_try() {
  local p=$(( base_port + 10 * try )) seed_port w trial line victim log ms new_port
  seed_port=$p
  begin_try worker_kill
  write_config $(( 100 + try )) "[nadamw]"
  start seed "$seed_port" "127.0.0.1:$seed_port" --journal "$journal"
  wait_for "coordinator join" "joined seed $seed_port" || return 1
  for w in 1 2 3; do start worker $(( p + w )) "127.0.0.1:$seed_port" --trainers 1; done
  log=""
  wait_for "coordinator log" '[ -n "$(node_log seed $seed_port)" ]' || return 1
  log="$(node_log seed "$seed_port")"
  # Both trials dispatched and evaluating: the first one's worker is the victim.
  wait_for "two trials with an eval" '[ "$(evals_in_journal)" -ge 2 ] && [ "$(grep -c "(attempt 1) -> " "$log")" -ge 2 ]' || return 1
  line="$(first_line "$log" "scheduler: .* \(attempt 1\) -> ")"
  trial="$(sed -E 's/.*scheduler: (.*) \(attempt 1\) -> .*/\1/' <<<"$line")"
  victim="$(sed -E 's#.*@127\.0\.0\.1:([0-9]+)/user/.*#\1#' <<<"$line")"
  t_kill="$(now_ms)"
  kill -9 "${port_pid[$victim]}" || return 1
  wait_for "attempt 2 of $trial" "grep -qF 'scheduler: $trial (attempt 2) -> ' '$log'" || return 1
  line="$(grep -m1 -F "scheduler: $trial (attempt 2) -> " "$log")"
  ms=$(( $(line_ms "$line") - t_kill ))
  new_port="$(sed -E 's#.*@127\.0\.0\.1:([0-9]+)/user/.*#\1#' <<<"$line")"
  printf '{"test":"worker_kill","try":%d,"trial":"%s","killed_worker_port":%s,"new_worker_port":%s,"kill_to_attempt2_ms":%d,"kill_to_unreachable_ms":%s,"kill_to_sbr_down_ms":%s,"kill_to_removed_ms":%s,"kill_to_requeued_ms":%s,"load_average_1min":%s}\n' \
    "$try" "$trial" "$victim" "$new_port" "$ms" \
    "$(after_kill_ms "$log" "Marking node\(s\) as UNREACHABLE")" \
    "$(after_kill_ms "$log" "SBR took decision")" \
    "$(after_kill_ms "$log" "Leader is removing .*:$victim\]")" \
    "$(after_kill_ms "$log" "scheduler: .*: attempt 1 on .* failed")" \
    "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$results"
  end_try
}

coordinator_failover_try() {
  local p=$(( base_port + 500 + 10 * try )) a b seeds log_a log_b line ms_start ms_eval next_eval
  a=$p
  b=$(( p + 1 ))
  seeds="127.0.0.1:$a,127.0.0.1:$b"
  begin_try failover
  write_config $(( 200 + try )) "[nadamw, momentum]"
  start seed "$a" "$seeds" --journal "$journal"
  wait_for "first coordinator join" "joined seed $a" || return 1
  start seed "$b" "$seeds" --journal "$journal"
  wait_for "second coordinator join" "joined seed $b" || return 1
  start worker $(( p + 2 )) "$seeds" --trainers 1
  start worker $(( p + 3 )) "$seeds" --trainers 1
  wait_for "coordinator logs" '[ -n "$(node_log seed $a)" ] && [ -n "$(node_log seed $b)" ]' || return 1
  log_a="$(node_log seed "$a")"
  log_b="$(node_log seed "$b")"
  wait_for "an eval in the journal" '[ "$(evals_in_journal)" -ge 2 ]' || return 1
  grep -q "coordinator: starting" "$log_a" || { echo "cluster_faults.sh: try $try: the singleton is not on the first coordinator (logs: $dir)" >&2; return 1; }
  t_kill="$(now_ms)"
  kill -9 "${port_pid[$a]}" || return 1
  # The first eval written after the kill (by the new coordinator: the killed one writes nothing more), by the
  # journal's created column (the write's time in .NET ticks, UTC); a row the old one wrote just before it died may
  # still be committing, so the order of rows does not tell.
  next_eval="SELECT min((created - 621355968000000000) / 10000) FROM journal WHERE manifest = 'eval-recorded/v1' AND (created - 621355968000000000) / 10000 > $t_kill"
  wait_for "the next eval in the journal" '[ -n "$(journal_q "$next_eval")" ]' || return 1
  ms_eval=$(( $(journal_q "$next_eval") - t_kill ))
  wait_for "the singleton on the second coordinator" "grep -q 'coordinator: starting' '$log_b'" || return 1
  wait_for "the second coordinator's scheduler to reconcile" "grep -q 'scheduler: reconciled with' '$log_b'" || return 1
  line="$(grep -m1 "coordinator: starting" "$log_b")"
  ms_start=$(( $(line_ms "$line") - t_kill ))
  printf '{"test":"coordinator_failover","try":%d,"kill_to_coordinator_starting_ms":%d,"kill_to_next_eval_in_journal_ms":%d,"kill_to_unreachable_ms":%s,"kill_to_sbr_down_ms":%s,"kill_to_removed_ms":%s,"kill_to_reconciled_ms":%s,"load_average_1min":%s}\n' \
    "$try" "$ms_start" "$ms_eval" \
    "$(after_kill_ms "$log_b" "Marking node\(s\) as UNREACHABLE")" \
    "$(after_kill_ms "$log_b" "SBR took decision")" \
    "$(after_kill_ms "$log_b" "Leader is removing .*:$a\]")" \
    "$(after_kill_ms "$log_b" "scheduler: reconciled with")" \
    "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$results"
  end_try
}

failed() {
  printf '{"test":"%s","try":%d,"error":"the try did not complete (its reason is on standard error)"}\n' "$1" "$try" | tee -a "$results"
  end_try
}
if [ "${ONLY:-worker_kill}" = worker_kill ]; then
  for try in $(seq 1 "$tries"); do
    worker_kill_try || failed worker_kill
  done
fi
if [ "${ONLY:-coordinator_failover}" = coordinator_failover ]; then
  for try in $(seq 1 "$tries"); do
    coordinator_failover_try || failed coordinator_failover
  done
fi

cat "$results" >>"$out"
python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
metrics = {
    "worker_kill": ["kill_to_attempt2_ms", "kill_to_unreachable_ms", "kill_to_sbr_down_ms", "kill_to_removed_ms", "kill_to_requeued_ms"],
    "coordinator_failover": ["kill_to_coordinator_starting_ms", "kill_to_next_eval_in_journal_ms", "kill_to_unreachable_ms", "kill_to_sbr_down_ms", "kill_to_removed_ms", "kill_to_reconciled_ms"],
}
for test, keys in metrics.items():
    tries = [r for r in rows if r["test"] == test and "error" not in r]
    failed = sum(1 for r in rows if r["test"] == test and "error" in r)
    if not tries and not failed:
        continue
    print(f"{test}: {len(tries)} tries" + (f", {failed} failed" if failed else ""))
    for key in keys:
        values = [r[key] for r in tries if r.get(key) is not None]
        if not values:
            continue
        each = " ".join(f"{v / 1000:6.2f}" for v in values)
        print(f"  {key:34} tries [s]: {each}   min {min(values) / 1000:6.2f}  median {statistics.median(values) / 1000:6.2f}  max {max(values) / 1000:6.2f}")
EOF
echo "cluster_faults.sh: appended $(wc -l <"$results") tries to $out"
