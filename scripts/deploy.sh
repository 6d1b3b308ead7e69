#!/usr/bin/env bash
# The whole app on one machine behind nginx: PostgreSQL, a Chroma server, N app processes,
# nginx on one public port, a health check. Everything on 127.0.0.1, under .deploy/.
#   bash scripts/deploy.sh up [--processes 2] [--port 8080]
#   bash scripts/deploy.sh status | restart | down [--purge]
# Needs Debian's nginx and postgresql (scripts/test.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="" source scripts/_env.sh
exec "$PY" -m deploy "$@"
