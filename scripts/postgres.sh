#!/usr/bin/env bash
# A throw-away local PostgreSQL server for tests and benchmarks, on 127.0.0.1 only.
#   scripts/postgres.sh start    # idempotent; prints the connection string on stdout
#   scripts/postgres.sh stop
#   scripts/postgres.sh status   # exit status 0 when the server is running
# Environment: ALGOPERF_PG_PORT (default 54329), ALGOPERF_PG_DIR (default /tmp/algoperf-pg).
set -euo pipefail
port="${ALGOPERF_PG_PORT:-54329}"
dir="${ALGOPERF_PG_DIR:-/tmp/algoperf-pg}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/pg_ctl" ] || { echo "postgres.sh: PostgreSQL server binaries not found (run scripts/bootstrap.sh)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    # initdb and postgres refuse to run as root: use the postgres system user the Debian package creates.
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { [ -f "$dir/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; }

conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
case "${1:-}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! running; then
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    fi
    echo "$conn"
    ;;
  status)
    running
    ;;
  stop)
    if [ -f "$dir/PG_VERSION" ]; then
      as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|status" >&2
    exit 2
    ;;
esac
