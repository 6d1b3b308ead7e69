# Sourced by run.sh and test.sh: puts the project's Python in $PY, installing the project.
# A virtualenv in .venv when the venv module works; otherwise the interpreter itself.
set -euo pipefail
BASE=${PYTHON:-python3.11}
command -v "$BASE" >/dev/null || BASE=python3
if [ -x .venv/bin/python ] || "$BASE" -m venv .venv >/dev/null 2>&1; then
  PY=.venv/bin/python
else
  rm -rf .venv
  PY=$BASE
fi
"$PY" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
"$PY" -m pip install -q --disable-pip-version-check -e ".${EXTRAS:-}"
