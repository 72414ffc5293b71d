#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest (unit, backend, sync, ui, e2e).
# Starts a throwaway PostgreSQL on loopback when one is installed, so backend tests run on it too.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen

.venv/bin/ruff check console tests packaging
.venv/bin/mypy
.venv/bin/lint-imports

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 \
      || runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "${CONSOLE_TEST_PG_URL:-}" ] && [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; then
  pg_dir=$(mktemp -d)
  port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    as_pg=(runuser -u postgres --)
  fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  export CONSOLE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL for tests on 127.0.0.1:$port"
fi

# Two workers (pytest-xdist): most tests wait on a backend process or a socket, so two at a
# time fit a 2-core machine; each worker takes whole files (tests/conftest.py groups them), so
# a module's shared backend starts once. `bash packaging/test.sh -n 0` runs them one by one.
.venv/bin/pytest -n "${CONSOLE_TEST_WORKERS:-2}" --dist loadgroup "$@"
