#!/usr/bin/env bash
# Install everything and run Bedside with a demo care home on the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
.venv/bin/bedside init
.venv/bin/bedside demo || echo "(demo data not added: the database already holds a care home)"
exec .venv/bin/bedside serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
