#!/usr/bin/env bash
# Install the app and start it on the bundled notices: no API key, no other server.
# The search index is built on first start (a progress bar shows it), then reused.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="" source scripts/_env.sh
exec "$PY" -m streamlit run streamlit_app.py --server.headless true "$@"
