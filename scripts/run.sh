#!/usr/bin/env bash
# Install the app into a project virtualenv and start it on the bundled notices.
# No API key and no other server needed; the search index is built on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/streamlit run streamlit_app.py --server.headless true "$@"
