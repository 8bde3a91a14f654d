"""Generate a region into PostgreSQL: homes, units, duty posts, residents, staff, tablets, care plans, monthly care
cards and months of history, for the load run, the growth comparison and the reconnect storm of issue 6.

    .venv/bin/python -m benchmarks.region.generate --size tiny|quick|full --database-url URL [--days N] [--reuse]
    from benchmarks.region.generate import generate, load_manifest, next_client_seqs

Sizes (SIZES): tiny = 1 home, 2 units x 1 post, 25 residents, 2 days; quick = 2 homes x 4 units x 5 posts,
500 residents, 30 days; full = 16 homes x 4 units x 5 posts = 320 posts, 4,000 residents (12 or 13 a post),
182 days (about 165,000 entries a day: 29.95 million). `--days 0` gives the empty region: the same structure, cards
for this month (and the months the pull window reaches), no entries.

The database is dropped and created again (its name must contain "region": a guard for every other database),
migrated with `bedside init`, given the structure through the app's models (structure.py) and the history by SQL
inside PostgreSQL (history.py), with the big tables' indexes dropped during the load and rebuilt after
(schema.py), then VACUUM (FREEZE, ANALYZE). `--reuse` keeps a complete region of the same size and days
(marker: `bench_region.meta`), generating only the days between its last day and yesterday.

What the history holds (history.py; proportions measured on the 30-day region):
* Entries, about 41 a resident a day, from each resident's monthly card (the demo's items by care group plus the
  region's rounds, airing, a weekly bath; a card a month, generated from the resident's care plan): ticks 89.9 %
  (done 94.8 %, not done 5.2 % with a reason: asleep, refused, absent, hospital, not needed, other + a note),
  vital signs 9.2 % (values in plausible ranges, 5.5 % outside the normal range and flagged as the server
  flags them), notes 0.7 %, condition reports 0.006 %, assessments 0.16 % (every resident assessed with the six
  forms every 90 days by the home's planner, answers and the server's scores from the app's form engine),
  corrections 0.25 % of ticks (a new entry superseding the mis-tick), 1.2 % of slots never recorded. Day shift
  08:00-20:00 by one nurse of the post, night by the other (swapped weekly), on the post's tablet.
* Pushes: a tablet pushes every 30 minutes what was made in the half-hour (received_at); on 3 % of post-days the
  tablet was offline after 22:00 and those entries arrive the next morning at 10:00, after the day's confirmation
  (late_after_confirmation); the supervisor confirms each unit's day the next morning at 09:00 (3 % of the last 20
  days left open; yesterday always open) and again at 14:00 when late entries came (always for older days, 60 %
  for the last 20).
* Ids are UUIDv7 of the time the entry was made; seq follows the feed in the order entries reached the server,
  shared with confirmations, card publications (the 25th) and closings (the 5th: the month's cards are closed);
  client_seq counts 1, 2, 3 ... per tablet in the order entries were made. payload_hash and signature are
  placeholders of the right shape (nothing re-reads a stored entry's: the push compares the hash only of an id
  pushed again, and verifies signatures only of entries being pushed); key_id names the author's real key on the
  tablet (one signing key per nurse and tablet).
* Audit log (a valid hash chain; `bedside audit verify`): one `entries_push` row per push with its accepted and late
  ids, as the push writes it; `unlock` at each shift start; the supervisor's `read` of the unit's day and
  `day_confirm`; `card_publish` and `card_close` per card. Not generated: sign-in attempts, server sessions,
  activities and attendance, carers' assignments, relatives.
* Tablets' records (device: last push and pull, highest client_seq, outbox empty) and device_gap_scan (0007) as
  the day's work leaves them; residents with a condition report in the last 14 days marked for reassessment.

Everyone's password is "demo". Usernames: h01-admin, h01-planner, h01-u1-supervisor, h01-u1-p1-nurse (day shift in
even weeks), h01-u1-p1-night; tablets tab-h01-u1-p1 (one per post, enrolled), tab-h01-planner, supervisors'
computers pc-h01-u1.

Manifest (returned, and written to benchmarks/results/region-<dbname>.json):

    {"database_url": "postgresql://postgres@127.0.0.1:5432/bench_region_full", "size": "full", "days": 182,
     "entries": 29954675, "password": "demo",
     "today": "2026-11-25",            # the region's care day (Europe/Moscow) when made; history ends the day before
     "first_day": "2026-05-27", "last_day": "2026-11-24", "month": "2026-11-01",   # items below: this month's card
     "homes": 16, "residents": 4000,
     "units": [{"unit_id": 1, "home_id": 1, "supervisor": "h01-u1-supervisor", "posts": [1, 2, 3, 4, 5]}, ...],
     "posts": [{"post_id": 1, "unit_id": 1, "home_id": 1, "timezone": "Europe/Moscow",
                "nurse": "h01-u1-p1-nurse", "nurse_id": 4, "night_nurse": "h01-u1-p1-night", "night_nurse_id": 5,
                "supervisor": "h01-u1-supervisor",
                "device_id": "tab-h01-u1-p1",              # the post's enrolled tablet
                "device_key": "region-credential-h01-u1-p1",  # its credential
                "next_client_seq": 90412,                  # the tablet's next client_seq (see next_client_seqs)
                "residents": [{"id": 1, "items": [
                    {"id": 17, "kind": "tick" | "vitals", "measures": null | ["bp_systolic", "bp_diastolic", "pulse"],
                     "schedule_kind": "times", "schedule": {"times": ["08:00", "20:00"]}, "days_of_week": null | [3, 6],
                     "valid_from": null, "valid_to": null, "slots": ["08:00", "20:00"]}, ...]}, ...]}, ...],
     "supervisors": ["h01-u1-supervisor", ...], "planners": ["h01-planner", ...], "admins": ["h01-admin", ...],
     "generated_at": "...", "seconds": 1234.5, "database_gb": 20.1}

Using it (what the app requires):
* The tablets are enrolled: every request naming a tablet's id must carry `X-Device-Id: <device_id>` and
  `X-Device-Key: <device_key>` (else 403 device_mismatch), the sign-in included:
  POST /api/auth/login {"username": nurse, "password": "demo", "device_id": device_id} returns her signing key for
  that tablet; sign entries with it (benchmarks/workload.py EntryFactory; author_id = the nurse's id).
* client_seq: continue from `next_client_seq` (the history numbered 1..n on each tablet; the supervisor's day view
  lists gaps). After a load run the numbers have moved on: `next_client_seqs(database_url)` reads them again.
* A resident's items are those of this month's card; a "vitals" item's entry has kind "vitals" and `values` for
  its `measures`; a tick has `status` done, or not_done with a `reason`. `slots` are the slot keys of a day
  (an item with days_of_week applies on those ISO weekdays only).
* Day view: GET /api/units/<unit_id>/days/<day> as the unit's supervisor; the resident list:
  GET /api/residents?unit_id=<unit_id> (nurse or supervisor).
"""
import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy.engine import make_url

from backend.config import normalise_db_url

from . import schema
from .history import STAGE_DDL, History
from .state import Region
from .structure import Builder, add_months, months_between

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(REPO, "benchmarks", "results")
#: homes x units per home x duty posts per unit, residents (spread evenly over the posts), days of history.
SIZES = {
    "tiny": {"homes": 1, "units": 2, "posts": 1, "residents": 25, "days": 2},
    "quick": {"homes": 2, "units": 4, "posts": 5, "residents": 500, "days": 30},
    "full": {"homes": 16, "units": 4, "posts": 5, "residents": 4000, "days": 182},
}
#: The zone that decides the region's "today" (the homes in Asia/Shanghai may be a day ahead near midnight).
REGION_TZ = "Europe/Moscow"
#: Below this many days the indexes stay in place during the load (a tiny region or a top-up).
DROP_INDEXES_FROM_ROWS = 2_000_000


class RegionError(RuntimeError):
    pass


def conninfo(database_url, database=None):
    """A libpq URL for psycopg from an app-style URL (postgresql+psycopg://...), optionally for another database."""
    url = make_url(normalise_db_url(database_url)).set(drivername="postgresql")
    if database is not None:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


def app_url(database_url):
    return normalise_db_url(make_url(normalise_db_url(database_url)).render_as_string(hide_password=False))


def database_name(database_url):
    url = make_url(normalise_db_url(database_url))
    if not url.drivername.startswith("postgresql"):
        raise RegionError(f"a region needs PostgreSQL, not {url.drivername}")
    return url.database


def manifest_path(database_url):
    return os.path.join(RESULTS, f"region-{database_name(database_url)}.json")


def _marker(database_url):
    """The region marker of a database ({size, days, ...}, complete) or None (no database, no region)."""
    try:
        with psycopg.connect(conninfo(database_url), connect_timeout=10) as conn:
            row = conn.execute("SELECT value FROM bench_region.meta WHERE key = 'region'").fetchone()
            return row[0] if row else None
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return None


def _recreate(database_url, log):
    name = database_name(database_url)
    if "region" not in name:
        raise RegionError(f"refusing to drop and create {name!r}: a region database's name contains 'region'")
    with psycopg.connect(conninfo(database_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    log(f"database {name}: created")


def _build_structure(database_url, spec, days, first_day, today, now, log):
    """Migrate (bedside init) and write the organisation and the cards through the app. Returns the seconds."""
    from backend.app import create_app
    from backend.cli import WITHOUT_STATEMENT_LIMITS, init_database
    from backend.extensions import db
    from backend.models import SyncState

    started = time.monotonic()
    app = create_app({"SQLALCHEMY_DATABASE_URI": app_url(database_url), "SECRET_KEY": "bench-region",
                      **WITHOUT_STATEMENT_LIMITS})
    with app.app_context():
        init_database()
        builder = Builder(dict(spec, days=days), first_day, today, now)
        builder.build(db.session)
        builder.plan_tables(db.session)
        months = months_between(min(first_day, today - timedelta(days=2)), today)
        if today.day >= 25:  # next month's cards are published on the 25th
            months.append(add_months(today.replace(day=1), 1))

        def seq_for(month):
            # Published on the 25th of the month before: before the history, numbered now; within it, by the day
            # loop; after it (today), at the end (None leaves 0 for those two)
            published = add_months(month, -1).replace(day=25)
            if days and published >= first_day:
                return None
            return builder.next_seq(len(builder.residents))

        builder.cards(db.session, months, seq_for)
        db.session.get(SyncState, 1).seq = builder.seq
        db.session.execute(db.text(STAGE_DDL))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    seconds = time.monotonic() - started
    log(f"structure: {spec['homes']} homes, {len(builder.posts)} posts, {len(builder.residents)} residents, "
        f"{len(months)} months of cards in {seconds:.1f} s")
    return seconds


def _history(conn, database_url, first_day, last_day, today, now, log, drop_indexes):
    """Fill first_day..last_day. Returns (entries, timings)."""
    cur = conn.cursor()
    cur.execute("SET work_mem = '512MB'")
    cur.execute("SET synchronous_commit = off")
    region = Region(conn, first_day, now)
    history = History(conn, region, log=log, audit_conninfo=conninfo(database_url))
    timings = {}
    if drop_indexes:
        schema.drop(conn)
    started = time.monotonic()
    day, done, entries = first_day, 0, 0
    total_days = (last_day - first_day).days + 1
    while day <= last_day:
        entries += history.day(day, last_day, today)
        conn.commit()
        done += 1
        if done % 10 == 0 or day == last_day:
            elapsed = time.monotonic() - started
            log(f"  {day}: {done}/{total_days} days, {entries:,} entries, {entries / elapsed:,.0f} entries/s")
        day += timedelta(days=1)
    history.close()
    timings["history"] = time.monotonic() - started
    started = time.monotonic()
    timings["indexes"] = schema.restore(conn, log=log) if drop_indexes else {}
    timings["index_build"] = time.monotonic() - started
    _finish(conn, region, today)
    timings["audit_rows"] = history.totals["audit"]
    timings["confirmations"] = history.totals["confirmations"]
    return entries, timings


def _finish(conn, region, today):
    """What the history leaves behind outside the entries: the tablets' records, cards not yet numbered, residents
    marked for reassessment by a recent condition report, and the feed counter."""
    cur = conn.cursor()
    cur.execute("SELECT id FROM care_card WHERE seq = 0 ORDER BY id")
    cards = [r[0] for r in cur.fetchall()]
    if cards:
        first = region.allocate(len(cards))
        cur.executemany("UPDATE care_card SET seq = %s WHERE id = %s", [(first + n, c) for n, c in enumerate(cards)])
    cur.execute("SELECT DISTINCT resident_id FROM bench_region.condition_log WHERE day >= %s ORDER BY 1",
                (today - timedelta(days=14),))
    marked = [r[0] for r in cur.fetchall()]
    if marked:
        first = region.allocate(len(marked))
        cur.executemany("UPDATE resident SET needs_reassessment = true, seq = %s WHERE id = %s",
                        [(first + n, r) for n, r in enumerate(marked)])
    for device_id, n in region.counters.items():
        cur.execute("UPDATE bench_region.device_counter SET n = greatest(n, %s) WHERE device_id = %s", (n, device_id))
    cur.execute("UPDATE device d SET max_client_seq = greatest(d.max_client_seq, dc.n) FROM bench_region.device_counter dc "
                "WHERE dc.device_id = d.id")
    for device_id, (at, user_id) in region.last_push.items():
        cur.execute("UPDATE device SET last_push_at = %s, last_pull_at = %s, last_seen = %s, last_user_id = %s, "
                    "outbox_len = 0 WHERE id = %s AND (last_push_at IS NULL OR last_push_at <= %s)",
                    (at, at, at, user_id, device_id, at))
    cur.execute("UPDATE sync_state SET seq = greatest(seq, %s) WHERE id = 1", (region.seq,))
    conn.commit()
    _fill_gap_scans(conn)


def _fill_gap_scans(conn):
    """What the supervisors' daily day views would have left in device_gap_scan (migration 0007, when the schema
    has it): each tablet's history numbers 1..n all held, no gaps. Rows already there are kept."""
    cur = conn.cursor()
    cur.execute("SELECT to_regclass('device_gap_scan') IS NOT NULL")
    if cur.fetchone()[0]:
        cur.execute("INSERT INTO device_gap_scan (device_id, checked_to, gaps) SELECT dc.device_id, dc.n, '[]' "
                    "FROM bench_region.device_counter dc JOIN device d ON d.id = dc.device_id WHERE dc.n > 0 "
                    "ON CONFLICT (device_id) DO NOTHING")
        conn.commit()


def upgrade_schema(database_url):
    """`bedside init` on the region: the schema at the newest migration (a region made before one was added)."""
    from backend.app import create_app
    from backend.cli import WITHOUT_STATEMENT_LIMITS, init_database
    from backend.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": app_url(database_url), "SECRET_KEY": "bench-region",
                      **WITHOUT_STATEMENT_LIMITS})
    with app.app_context():
        init_database()
        db.session.remove()
        db.engine.dispose()


def _vacuum(database_url, full):
    """Freeze and analyse (a long-lived table is vacuumed; a fresh one would be by autovacuum in the middle of the
    load run that follows). A top-up only analyses."""
    with psycopg.connect(conninfo(database_url), autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("VACUUM (FREEZE, ANALYZE)" if full else "VACUUM (ANALYZE)")


def _sizes(conn):
    cur = conn.cursor()
    cur.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('entry'), "
                "pg_relation_size('entry'), pg_total_relation_size('audit_event')")
    db_size, entry_total, entry_heap, audit_total = cur.fetchone()
    gb = 1024 ** 3
    return {"database_gb": round(db_size / gb, 2), "entry_gb": round(entry_total / gb, 2),
            "entry_heap_gb": round(entry_heap / gb, 2), "audit_gb": round(audit_total / gb, 2)}


def region_today(now):
    return now.astimezone(ZoneInfo(REGION_TZ)).date()


def generate(database_url, size, days=None, log=print, reuse=False, now=None, drop_indexes=None):
    """Build (or with reuse=True, keep and extend to yesterday) a region; returns the manifest and writes it to
    benchmarks/results/region-<dbname>.json. drop_indexes: drop the big tables' indexes during the load (None:
    from DROP_INDEXES_FROM_ROWS expected entries on)."""
    if size not in SIZES:
        raise RegionError(f"unknown size {size!r}: one of {', '.join(SIZES)}")
    spec = SIZES[size]
    days = spec["days"] if days is None else days
    now = now or datetime.now(UTC)
    today = region_today(now)
    name = database_name(database_url)
    marker = _marker(database_url) if reuse else None
    if marker and marker.get("complete") and marker["size"] == size and marker["days"] == days:
        manifest = _reuse(database_url, marker, now, log)
        if manifest is not None:
            return manifest
    if reuse:
        log(f"database {name}: no complete {size} region of {days} days to reuse; generating")
    started = time.monotonic()
    first_day = today - timedelta(days=days)
    last_day = today - timedelta(days=1)
    _recreate(database_url, log)
    structure_seconds = _build_structure(database_url, spec, days, first_day, today, now, log)
    timings = {"structure": round(structure_seconds, 1)}
    entries = 0
    with psycopg.connect(conninfo(database_url)) as conn:
        _set_marker(conn, {"size": size, "days": days, "complete": False})
        if days:
            expected = spec["residents"] * 41 * days
            log(f"history: {days} days from {first_day} to {last_day} (about {expected:,} entries)")
            if drop_indexes is None:
                drop_indexes = expected >= DROP_INDEXES_FROM_ROWS
            entries, more = _history(conn, database_url, first_day, last_day, today, now, log, drop_indexes)
            timings.update({k: (round(v, 1) if isinstance(v, float) else v) for k, v in more.items()})
        else:
            region = Region(conn, first_day, now)
            _finish(conn, region, today)
    vacuum_started = time.monotonic()
    _vacuum(database_url, full=True)
    timings["vacuum"] = round(time.monotonic() - vacuum_started, 1)
    total = time.monotonic() - started
    with psycopg.connect(conninfo(database_url)) as conn:
        sizes = _sizes(conn)
        marker = {"size": size, "days": days, "complete": True, "first_day": first_day.isoformat(),
                  "last_day": last_day.isoformat(), "today": today.isoformat(), "entries": entries,
                  "generated_at": now.isoformat(timespec="seconds"), "seconds": round(total, 1),
                  "entries_per_second": round(entries / timings["history"]) if entries else 0,
                  "timings": timings, **sizes}
        _set_marker(conn, marker)
        manifest = build_manifest(conn, database_url, marker)
    log(f"region {name}: {entries:,} entries in {total / 60:.1f} min "
        f"({marker['entries_per_second']:,} entries/s in the history step), database {sizes['database_gb']} GB")
    return _write(database_url, manifest)


def _reuse(database_url, marker, now, log):
    """Keep the region; generate the days between its last day and yesterday (a region made days ago). Returns
    None when it cannot (the month has changed since: no cards for it), and the region is generated again."""
    from datetime import date
    today = region_today(now)
    last_day = date.fromisoformat(marker["last_day"])
    name = database_name(database_url)
    upgrade_schema(database_url)
    with psycopg.connect(conninfo(database_url)) as conn:
        _fill_gap_scans(conn)
        cur = conn.cursor()
        cur.execute("SELECT count(DISTINCT month) FROM bench_region.slot_plan WHERE month = ANY(%s)",
                    (months_between(min(last_day + timedelta(days=1), today), today),))
        if cur.fetchone()[0] < len(months_between(min(last_day + timedelta(days=1), today), today)):
            log(f"database {name}: the region has no cards for this month; generating it again")
            return None
        if marker["days"] and last_day < today - timedelta(days=1):
            first_new = last_day + timedelta(days=1)
            log(f"database {name}: reusing the {marker['size']} region, adding {first_new}..{today - timedelta(days=1)}")
            started = time.monotonic()
            region_first = date.fromisoformat(marker["first_day"])
            entries, _timings = _history_from(conn, region_first, first_new, today - timedelta(days=1), today, now,
                                              log)
            marker = dict(marker, entries=marker["entries"] + entries, last_day=(today - timedelta(days=1)).isoformat(),
                          topped_up=now.isoformat(timespec="seconds"),
                          topup_seconds=round(time.monotonic() - started, 1))
            _vacuum(database_url, full=False)
        else:
            log(f"database {name}: reusing the {marker['size']} region ({marker['entries']:,} entries)")
        marker = dict(marker, today=today.isoformat(), **_sizes(conn))
        _set_marker(conn, marker)
        manifest = build_manifest(conn, database_url, marker)
    return _write(database_url, manifest)


def _history_from(conn, region_first, first, last, today, now, log):
    cur = conn.cursor()
    cur.execute("SET work_mem = '512MB'")
    cur.execute("SET synchronous_commit = off")
    region = Region(conn, region_first, now)
    history = History(conn, region, log=log)
    entries = 0
    day = first
    while day <= last:
        entries += history.day(day, last, today)
        conn.commit()
        day += timedelta(days=1)
    history.close()
    _finish(conn, region, today)
    return entries, {}


def _set_marker(conn, value):
    conn.execute("INSERT INTO bench_region.meta VALUES ('region', %s) ON CONFLICT (key) DO UPDATE SET value = "
                 "excluded.value", (json.dumps(value),))
    conn.commit()


def _write(database_url, manifest):
    os.makedirs(RESULTS, exist_ok=True)
    path = manifest_path(database_url)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)
    manifest["manifest_path"] = path
    return manifest


def next_client_seqs(database_url):
    """{tablet id: the next client_seq it should use} as the database stands now (a load run moves them on)."""
    with psycopg.connect(conninfo(database_url)) as conn:
        return {d: n + 1 for d, n in conn.execute("SELECT id, max_client_seq FROM device").fetchall()}


def build_manifest(conn, database_url, marker):
    from backend.domain import schedule
    cur = conn.cursor()
    today = marker["today"]
    month = today[:8] + "01"
    cur.execute('SELECT u.id, u.username, u.role, u.home_id, MIN(uu.unit_id) FROM "user" u '
                'LEFT JOIN user_unit uu ON uu.user_id = u.id '
                'GROUP BY u.id, u.username, u.role, u.home_id ORDER BY u.id')
    users = {r[0]: {"username": r[1], "role": r[2], "home_id": r[3], "unit_id": r[4]} for r in cur.fetchall()}
    cur.execute("SELECT id, max_client_seq, name FROM device")
    devices = {r[0]: r[1] for r in cur.fetchall()}
    cur.execute("SELECT p.id, p.unit_id, u.home_id, h.timezone, pp.device_id, pp.nurse_a, pp.nurse_b "
                "FROM duty_post p JOIN unit u ON u.id = p.unit_id JOIN home h ON h.id = u.home_id "
                "JOIN bench_region.post_plan pp ON pp.post_id = p.id ORDER BY p.id")
    posts = cur.fetchall()
    supervisors = {u["unit_id"]: name for name, u in ((u["username"], u) for u in users.values())
                   if u["role"] == "supervisor"}
    cur.execute("SELECT r.id, r.post_id, ci.id, ci.measures, ci.schedule_kind, ci.schedule, ci.days_of_week, "
                "ci.valid_from, ci.valid_to FROM resident r JOIN care_card c ON c.resident_id = r.id AND c.month = %s "
                "AND c.status = 'published' JOIN card_item ci ON ci.card_id = c.id WHERE r.active "
                "ORDER BY r.post_id, r.id, ci.position, ci.id", (month,))
    residents = {}
    for rid, post_id, item_id, measures, kind, params, dow, vfrom, vto in cur.fetchall():
        resident = residents.setdefault(post_id, {}).setdefault(rid, {"id": rid, "items": []})
        resident["items"].append({
            "id": item_id, "kind": "vitals" if measures else "tick", "measures": measures, "schedule_kind": kind,
            "schedule": params, "days_of_week": dow, "valid_from": vfrom and vfrom.isoformat(),
            "valid_to": vto and vto.isoformat(), "slots": [s.key for s in schedule.slots(kind, params)]})
    out_posts = []
    for pid, unit_id, home_id, tz, device_id, a, b in posts:
        out_posts.append({
            "post_id": pid, "unit_id": unit_id, "home_id": home_id, "timezone": tz,
            "nurse": users[a]["username"], "nurse_id": a, "night_nurse": users[b]["username"], "night_nurse_id": b,
            "supervisor": supervisors.get(unit_id), "device_id": device_id,
            "device_key": f"region-credential-{device_id[4:]}", "next_client_seq": devices.get(device_id, 0) + 1,
            "residents": list(residents.get(pid, {}).values())})
    units = {}
    for p in out_posts:
        units.setdefault(p["unit_id"], {"unit_id": p["unit_id"], "home_id": p["home_id"],
                                        "supervisor": p["supervisor"], "posts": []})["posts"].append(p["post_id"])
    by_role = {}
    for u in users.values():
        by_role.setdefault(u["role"], []).append(u["username"])
    n_residents = sum(len(p["residents"]) for p in out_posts)
    return {"database_url": database_url, "size": marker["size"], "days": marker["days"],
            "entries": marker["entries"], "password": "demo", "today": marker["today"],
            "first_day": marker["first_day"], "last_day": marker["last_day"], "month": month,
            "homes": len({p["home_id"] for p in out_posts}), "units": list(units.values()),
            "residents": n_residents, "posts": out_posts, "supervisors": by_role.get("supervisor", []),
            "planners": by_role.get("planner", []), "admins": by_role.get("admin", []),
            "generated_at": marker.get("generated_at"), "seconds": marker.get("seconds"),
            "database_gb": marker.get("database_gb")}


def load_manifest(database_url):
    with open(manifest_path(database_url), encoding="utf-8") as fh:
        return json.load(fh)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--database-url", default=os.environ.get("REGION_DATABASE_URL"),
                        help="postgresql://user@host:port/<name containing 'region'>")
    parser.add_argument("--days", type=int, default=None, help="days of history (0: the empty region)")
    parser.add_argument("--drop-indexes", choices=("auto", "yes", "no"), default="auto",
                        help="drop the entry and audit indexes during the load (auto: from 2 million entries)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a complete region of the same size and days (adding the days since it was made)")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url is required")
    try:
        manifest = generate(args.database_url, args.size, days=args.days, reuse=args.reuse,
                            log=lambda *a: print(*a, flush=True),
                            drop_indexes={"auto": None, "yes": True, "no": False}[args.drop_indexes])
    except RegionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"manifest: {manifest['manifest_path']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
