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
command -v npm >/dev/null || need_apt+=(npm)
# fonts of the care-card PDF: DejaVu Sans (Latin, Cyrillic) and a Chinese fallback (backend/pdf_card.py)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || need_apt+=(fonts-droid-fallback)
if [ ${#need_apt[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e ".[test]"
# Lighthouse for the benchmarks, pinned by its lockfile
npm ci --prefix benchmarks/lighthouse --no-audit --no-fund --loglevel=error >/dev/null

# Every benchmark once at the quick size, PostgreSQL parts on TEST_DATABASE_URL's server: it fails only on a wrong
# answer, never on a figure (docs/benchmarks.md holds the figures of the full size).
# quick_benchmarks [PARTS]: all parts, or the comma-separated ones named.
quick_benchmarks() {
  echo "== benchmarks, quick size: ${1:-every part} =="
  local out
  out=$(mktemp -d)
  local status=0
  .venv/bin/python -m benchmarks.run --size quick --only "${1:-push,sizes,region,tablet,lighthouse}" \
    --output "$out/benchmarks.md" --raw "$out/raw.json" --postgres "${TEST_DATABASE_URL:-none}" || status=$?
  rm -rf "$out"
  return "$status"
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "== test suite on SQLite =="
  .venv/bin/pytest "$@"
  [ -z "${QUICK_BENCHMARKS:-}" ] || quick_benchmarks
  exit 0
fi

# Two lanes at once, one per core (one after the other took 31 minutes): the SQLite pass and the PostgreSQL pass.
# Every test of the server (API, sync, server, benchmarks, demo, migrations) runs in both passes. The pure domain
# rules, the JS engines, catalogs, lint and the benchmarks' own servers open no database of the app: they run in the
# SQLite pass. Each browser test runs once (tests/browser/conftest.py SQLITE_PASS): those of the browser alone
# (layouts, the lock screen and drafts in IndexedDB, the service worker's update, touch targets, the home's clock on
# screen, words, the resync backoff) in the SQLite pass; those that carry entries, days, cards, stays, visits and
# figures through the server in the PostgreSQL pass, production's database (but for some in the SQLite pass, which
# keep the two passes about as long). The generated cases check the dialect in the PostgreSQL pass with smaller
# Hypothesis budgets than the SQLite pass's (schemathesis, the tablets' state machine); both are below the tests'
# own defaults, which a full local run (`pytest`) keeps. The suite runs every benchmark's code at a tiny size
# (tests/benchmarks); QUICK_BENCHMARKS=1 also runs them once at the quick size after the passes (the region's after
# the PostgreSQL pass, the others but the tablet's after the SQLite pass), which the 30 minutes of CI leave out.
logs=$(mktemp -d)
(
  set +e
  echo "== test suite on SQLite =="
  SCHEMATHESIS_EXAMPLES=5 STATE_MACHINE_EXAMPLES=100 BEDSIDE_BROWSER_PASS=alone \
    env -u TEST_DATABASE_URL .venv/bin/pytest -p no:cacheprovider --durations=10 "$@" || exit 1
  [ -z "${QUICK_BENCHMARKS:-}" ] || quick_benchmarks push,sizes,lighthouse || exit 2
) >"$logs/sqlite.log" 2>&1 &
sqlite_lane=$!
pg_status=0
(
  set +e
  SCHEMATHESIS_EXAMPLES=3 STATE_MACHINE_EXAMPLES=50 BEDSIDE_BROWSER_PASS=server .venv/bin/pytest -p no:cacheprovider \
    --durations=10 --ignore=tests/domain --ignore=tests/js --ignore=tests/test_i18n.py \
    --ignore=tests/test_catalog_json.py --ignore=tests/test_lint.py --ignore=tests/test_frontend_rules.py \
    --ignore=tests/test_service_worker.py --ignore=tests/benchmarks/test_benchmark_smoke.py \
    --ignore=tests/benchmarks/test_tablet.py --ignore=tests/benchmarks/test_homecare.py "$@" || exit 1
  [ -z "${QUICK_BENCHMARKS:-}" ] || quick_benchmarks region || exit 2
) >"$logs/postgres.log" 2>&1 || pg_status=$?
sqlite_status=0
wait "$sqlite_lane" || sqlite_status=$?
echo "== lane: PostgreSQL pass (${TEST_DATABASE_URL%%@*}@…) (exit $pg_status) =="
cat "$logs/postgres.log"
echo "== lane: SQLite pass (exit $sqlite_status) =="
cat "$logs/sqlite.log"
rm -rf "$logs"
[ "$sqlite_status" = 0 ] && [ "$pg_status" = 0 ]
