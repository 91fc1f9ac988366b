#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for the engine contract tests.
# Usage: source scripts/pg-start.sh   (exports VALUECAST_PG_URL)
# Installs Debian's postgresql when it is missing (needs root and apt). Safe to run twice.
set -euo pipefail
PGPORT="${VALUECAST_PG_PORT:-54329}"
PGDIR="${VALUECAST_PG_DIR:-/tmp/valuecast-pg}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 postgresql >/dev/null
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
run_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$PGDIR/PG_VERSION" ]; then
  mkdir -p "$PGDIR"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDIR"
  run_pg "$PGBIN/initdb" -D "$PGDIR" -A trust -U postgres >/dev/null
fi
if ! run_pg "$PGBIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
  run_pg "$PGBIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c max_parallel_workers_per_gather=2" -w start >/dev/null
fi
export VALUECAST_PG_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
echo "PostgreSQL ready at $VALUECAST_PG_URL"
