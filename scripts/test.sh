#!/usr/bin/env bash
# Install everything and run the whole test suite: on SQLite, then again on PostgreSQL when
# TEST_DATABASE_URL names one (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v node >/dev/null || need_apt+=(nodejs)
# fonts of the care-card PDF: DejaVu Sans (Latin, Cyrillic) and a Chinese fallback (backend/pdf_card.py)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need_apt+=(fonts-droid-fallback)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[test]"

echo "== test suite on SQLite =="
env -u TEST_DATABASE_URL .venv/bin/pytest "$@"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on PostgreSQL: ${TEST_DATABASE_URL%%@*}@… =="
  .venv/bin/pytest "$@"
fi
