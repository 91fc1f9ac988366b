#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on 127.0.0.1 for the engine contract tests.
# Usage: source scripts/pg-start.sh   (exports VALUECAST_PG_URL; the contract suite then runs against it)
# Installs Debian's postgresql when it is missing (needs root and apt). Safe to run twice, and safe to
# source from an interactive shell: it does not change the caller's shell options (no `set -e` leaks).
# Settings: VALUECAST_PG_PORT (default 54329), VALUECAST_PG_DIR (default /tmp/valuecast-pg).
# Stop it with: pg_ctl -D /tmp/valuecast-pg stop   (as user postgres when started as root)
_valuecast_pg_start() {
  local port="${VALUECAST_PG_PORT:-54329}"
  local dir="${VALUECAST_PG_DIR:-/tmp/valuecast-pg}"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -q >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 postgresql >/dev/null ||
      { echo "pg-start: could not install postgresql (needs root and apt)" >&2; return 1; }
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  _valuecast_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir" || return 1
    if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir" || return 1; fi
    _valuecast_pg "$bin/initdb" -D "$dir" -A trust -U postgres >/dev/null || { echo "pg-start: initdb failed" >&2; return 1; }
  fi
  if ! _valuecast_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    _valuecast_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_parallel_workers_per_gather=2" -w start >/dev/null ||
      { echo "pg-start: the server did not start (see $dir/server.log)" >&2; return 1; }
  fi
  export VALUECAST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL ready at $VALUECAST_PG_URL"
}
_valuecast_pg_start
