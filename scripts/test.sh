#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine with Python 3.11,
# then run lint and the whole suite. Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# System packages: Chromium for browser tests, CJK fonts for screenshots and
# certificates, PostgreSQL for the storage tests against a second database, nginx for
# the deployment tests (tests/deploy/: a local deployment behind it on a free loopback port).
need=()
command -v chromium >/dev/null || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  # RUNLEVEL=1: the packages' own services (nginx on port 80, the system PostgreSQL) are not started.
  $SUDO env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q --no-install-recommends "${need[@]}" fontconfig
fi

# Python packages (a project virtualenv when possible).
EXTRAS="[test]" source scripts/_env.sh

# A throwaway PostgreSQL on 127.0.0.1, owned by the postgres user, removed on exit.
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDIR=$(mktemp -d /tmp/civic-pg.XXXXXX)
# A free loopback port unless PGPORT is given (another PostgreSQL may hold the usual ones).
PGPORT=${PGPORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
if [ "$(id -u)" -eq 0 ]; then RUNPG=(runuser -u postgres --); chown postgres "$PGDIR"; else RUNPG=(); fi
cleanup() { "${RUNPG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap cleanup EXIT
"${RUNPG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNPG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$PGDIR/log"; exit 1; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres civic_test
export TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/civic_test"
export CIVIC_CHROMIUM=${CIVIC_CHROMIUM:-$(command -v chromium)}

"$PY" -m ruff check .
"$PY" -m pytest "$@"
