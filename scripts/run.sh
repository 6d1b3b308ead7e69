#!/usr/bin/env bash
# Install the app, build the search index (progress shown here; seconds when it is
# already up to date), then start the app on the bundled notices: no API key, no
# other server. The first visitor does not wait for the index; the app still
# rebuilds it itself if it goes missing or is damaged while serving.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="" source scripts/_env.sh
echo "检查并建立检索索引……" >&2
"$PY" -m retrieval.ingest
# The app server (streamlit run streamlit_app.py) loads the Q&A while it starts and stops
# gracefully (deploy/appserver.py).
exec "$PY" -m deploy.appserver --server.headless true "$@"
