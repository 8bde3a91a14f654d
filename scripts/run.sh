#!/usr/bin/env bash
# Install everything and run Bedside with a demo care home on the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
# fonts of the care-card PDF: DejaVu Sans (Latin, Cyrillic) and a Chinese fallback (backend/pdf_card.py)
need_apt=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need_apt+=(fonts-droid-fallback)
if [ ${#need_apt[@]} -gt 0 ]; then
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null; } \
    || echo "(fonts not installed: ${need_apt[*]}; printed care cards may lack Chinese or Cyrillic text)"
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
.venv/bin/bedside init
.venv/bin/bedside demo || echo "(demo data not added: the database already holds a care home)"
exec .venv/bin/bedside serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
