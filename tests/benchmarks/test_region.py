"""The region generator (benchmarks/region) makes a region the app itself accepts: a tiny region in a database of its
own (TEST_DATABASE_URL's server, its name + "_region"), then the app's pull, push, day view and audit check on it.

Skipped without a PostgreSQL TEST_DATABASE_URL (the region is PostgreSQL-only). No timings are asserted.
"""
import itertools
import json
import os
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.domain import audit_chain, schedule, signing
from backend.services.ids import uuid7
from tests.helpers import postgres_sibling_url

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # 12:30 in Moscow
CSRF = {"X-Bedside": "1"}


REGION_URL = postgres_sibling_url("_region")
pytestmark = pytest.mark.skipif(REGION_URL is None, reason="needs a PostgreSQL TEST_DATABASE_URL")


@pytest.fixture(scope="module")
def region():
    import psycopg

    from benchmarks.region import generate as gen
    manifest = gen.generate(REGION_URL, "tiny", now=NOW, log=lambda *a: None)
    conn = psycopg.connect(gen.conninfo(REGION_URL))
    yield manifest, conn
    conn.close()
    os.remove(manifest["manifest_path"])
    with psycopg.connect(gen.conninfo(REGION_URL, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{gen.database_name(REGION_URL)}" WITH (FORCE)')


def _app(now):
    from backend.app import create_app
    from benchmarks.region.generate import app_url
    return create_app({"SQLALCHEMY_DATABASE_URI": app_url(REGION_URL), "SECRET_KEY": "test", "TESTING": True,
                       "CLOCK": lambda: now})


def _tablet(post):
    """The headers an enrolled duty-post tablet sends with every request (its id and credential)."""
    return {**CSRF, "X-Device-Id": post["device_id"], "X-Device-Key": post["device_key"]}


def _login(client, username, device_id, headers=CSRF):
    r = client.post("/api/auth/login", json={"username": username, "password": "demo", "device_id": device_id},
                    headers=headers)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    key = body.get("signing_key")
    return body, (key["id"], signing.decode_key(key["secret"])) if key else None


def test_structure_and_history_are_what_the_manifest_says(region):
    manifest, conn = region
    assert manifest["size"] == "tiny" and manifest["days"] == 2 and manifest["password"] == "demo"
    assert manifest["today"] == "2026-11-25" and manifest["homes"] == 1
    assert len(manifest["posts"]) == 2 and manifest["residents"] == 25
    assert sorted(len(p["residents"]) for p in manifest["posts"]) == [12, 13]
    with open(manifest["manifest_path"], encoding="utf-8") as fh:
        assert json.load(fh)["posts"] == manifest["posts"]
    (total,) = conn.execute("SELECT count(*) FROM entry").fetchone()
    assert total == manifest["entries"] > 0
    # Both days of history, about 40 entries a resident a day; nothing for today (the load run records it).
    per_day = dict(conn.execute("SELECT day, count(*) FROM entry GROUP BY day").fetchall())
    assert set(per_day) == {date(2026, 11, 23), date(2026, 11, 24)}
    for n in per_day.values():
        assert 25 * 30 < n < 25 * 50
    # Every tick and vital sign is one slot of an item of the resident's card of that month, applying that day.
    items = {}
    for item_id, resident_id, kind, params, dow, measures in conn.execute(
            "SELECT ci.id, c.resident_id, ci.schedule_kind, ci.schedule, ci.days_of_week, ci.measures "
            "FROM card_item ci JOIN care_card c ON c.id = ci.card_id WHERE c.month = '2026-11-01'"):
        items[item_id] = (resident_id, {s.key for s in schedule.slots(kind, params)}, dow, measures)
    slots_per_day = Counter()
    for resident_id, keys, dow, _m in items.values():
        for day in per_day:
            if schedule.applies_on(day, dow):
                slots_per_day[day] += len(keys)
    recorded = Counter()
    for kind, resident_id, item_id, day, slot, status, reason, values, flags in conn.execute(
            "SELECT kind, resident_id, item_id, day, slot, status, reason, \"values\", flags FROM entry "
            "WHERE kind IN ('tick', 'vitals') AND supersedes IS NULL"):
        owner, keys, dow, measures = items[item_id]
        assert owner == resident_id and slot in keys and schedule.applies_on(day, dow)
        if kind == "vitals":
            assert measures and set(values) == set(measures) and status is None
            assert not flags or set(flags) <= set(measures)
        else:
            assert status in ("done", "not_done") and (reason is None) == (status == "done")
        recorded[day] += 1
    for day, n in recorded.items():  # a few slots are missed, none twice
        assert 0.95 * slots_per_day[day] <= n <= slots_per_day[day]


def test_feed_numbers_client_numbers_and_audit_chain(region):
    _manifest, conn = region
    (high,) = conn.execute("SELECT seq FROM sync_state").fetchone()
    numbers = [s for (s,) in conn.execute(
        "SELECT seq FROM entry UNION ALL SELECT seq FROM day_confirmation UNION ALL SELECT seq FROM care_card "
        "UNION ALL SELECT seq FROM resident")]
    assert len(numbers) == len(set(numbers)) and max(numbers) == high
    # Every number was taken once; the only ones missing are those of residents renumbered when a recent condition
    # report marked them for reassessment (a change takes a new number, as in the app).
    (marked,) = conn.execute("SELECT count(*) FROM resident WHERE needs_reassessment").fetchone()
    assert high - len(numbers) == marked
    # The feed numbers entries in the order they reached the server.
    rows = conn.execute("SELECT seq, received_at FROM entry ORDER BY seq").fetchall()
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(rows))
    # Each tablet numbered its entries 1, 2, 3 ... in the order it made them, and its record says so.
    for device_id, n, low, top, distinct, kept in conn.execute(
            "SELECT e.device_id, count(*), min(e.client_seq), max(e.client_seq), count(DISTINCT e.client_seq), "
            "d.max_client_seq FROM entry e JOIN device d ON d.id = e.device_id GROUP BY e.device_id, d.max_client_seq"):
        assert low == 1 and top == n == distinct == kept, device_id
    # As the supervisors' daily looks would have left it: every tablet's numbers held, no gaps.
    scans = conn.execute("SELECT d.id, d.max_client_seq, s.checked_to, s.gaps::text FROM device d "
                         "LEFT JOIN device_gap_scan s ON s.device_id = d.id WHERE d.max_client_seq > 0").fetchall()
    assert scans and all(top == checked and gaps == "[]" for _d, top, checked, gaps in scans)
    made = [r[0] for r in conn.execute("SELECT device_time FROM entry WHERE device_id = 'tab-h01-u1-p1' "
                                       "ORDER BY client_seq")]
    assert made == sorted(made)
    # One audit row per push names exactly the stored entries; the chain verifies.
    pushed = []
    for (detail,) in conn.execute("SELECT detail FROM audit_event WHERE action = 'entries_push'"):
        pushed += detail["accepted"]
    stored = [i for (i,) in conn.execute("SELECT id FROM entry")]
    assert sorted(pushed) == sorted(stored)
    columns = ("id", "prev_hash", "hash") + audit_chain.FIELDS
    chain = [dict(zip(columns, r)) for r in conn.execute(
        f"SELECT {', '.join(columns)} FROM audit_event ORDER BY id")]
    result = audit_chain.verify(chain)
    assert result.intact and result.rows == len(chain) > 0
    # The supervisors confirmed the first day in the morning of the second.
    confirmed = conn.execute("SELECT unit_id, day FROM day_confirmation WHERE resident_id IS NULL").fetchall()
    assert {(u, d) for u, d in confirmed} == {(1, date(2026, 11, 23)), (2, date(2026, 11, 23))}


def test_a_generated_nurse_pulls_the_post_and_pushes_on_its_tablet(region):
    manifest, conn = region
    post = manifest["posts"][0]
    app = _app(NOW)
    client = app.test_client()
    tablet = _tablet(post)
    me, (key_id, secret) = _login(client, post["nurse"], post["device_id"], tablet)
    assert me["role"] == "nurse"
    r = client.get(f"/api/sync/pull?post_id={post['post_id']}&cursor=0&device_id={post['device_id']}", headers=tablet)
    assert r.status_code == 200
    snap = r.get_json()
    assert snap["today"] == manifest["today"]
    assert sorted(x["id"] for x in snap["residents"]) == sorted(x["id"] for x in post["residents"])
    items = {c["resident_id"]: [i["id"] for i in c["items"]] for c in snap["cards"] if c["month"] == manifest["month"]}
    assert items == {x["id"]: [i["id"] for i in x["items"]] for x in post["residents"]}
    window = date.fromisoformat(manifest["today"]) - timedelta(days=app.config["PULL_HISTORY_DAYS"])
    (expected,) = conn.execute("SELECT count(*) FROM entry e JOIN resident r ON r.id = e.resident_id "
                               "WHERE r.post_id = %s AND e.day >= %s", (post["post_id"], window)).fetchone()
    assert len(snap["entries"]) == expected > 0
    # A tick for today, signed as the tablet signs it, with the tablet's next client number.
    (high,) = conn.execute("SELECT seq FROM sync_state").fetchone()
    resident = post["residents"][0]
    item = next(i for i in resident["items"] if i["kind"] == "tick" and not i["days_of_week"])
    entry = {"id": uuid7(int(NOW.timestamp() * 1000)), "kind": "tick", "resident_id": resident["id"],
             "item_id": item["id"], "day": manifest["today"], "slot": item["slots"][0], "status": "done",
             "author_id": me["id"], "device_id": post["device_id"], "client_seq": post["next_client_seq"],
             "device_time": NOW.isoformat().replace("+00:00", "Z"), "key_id": key_id}
    entry["sig"] = signing.sign(secret, entry)
    r = client.post("/api/sync/push", json={"device_id": post["device_id"], "post_id": post["post_id"],
                                            "outbox_len": 1, "entries": [entry]}, headers=tablet)
    assert r.status_code == 200 and r.get_json()["results"][0]["status"] == "accepted", r.get_json()
    conn.rollback()
    assert conn.execute("SELECT seq FROM entry WHERE id = %s", (entry["id"],)).fetchone()[0] == high + 1
    from benchmarks.region.generate import next_client_seqs
    assert next_client_seqs(REGION_URL)[post["device_id"]] == post["next_client_seq"] + 1
    # The next pull from the snapshot's cursor brings just that entry.
    r = client.get(f"/api/sync/pull?post_id={post['post_id']}&cursor={snap['cursor']}", headers=tablet)
    assert [e["id"] for e in r.get_json()["entries"]] == [entry["id"]]


def test_the_supervisor_sees_the_history_in_the_day_view(region):
    manifest, _conn = region
    unit = manifest["units"][0]
    client = _app(NOW).test_client()
    _login(client, unit["supervisor"], "pc-region-test")
    r = client.get(f"/api/residents?unit_id={unit['unit_id']}", headers=CSRF)
    assert r.status_code == 200
    posts = [p for p in manifest["posts"] if p["unit_id"] == unit["unit_id"]]
    assert len(r.get_json()) == sum(len(p["residents"]) for p in posts)
    r = client.get(f"/api/units/{unit['unit_id']}/days/2026-11-23", headers=CSRF)
    assert r.status_code == 200
    view = r.get_json()
    assert view["unit_confirmed"]
    counts = Counter()
    for row in view["residents"]:
        for k, v in row["counts"].items():
            counts[k] += v
    assert counts["done"] > 10 * counts["not_done"] > 0 and counts["due"] == counts["upcoming"] == 0
    # The tablet's numbers have no gaps: the day view lists none.
    assert [d["gaps"] for d in view["devices"]] == [[]]


def test_reuse_keeps_the_region_and_adds_the_days_since(region):
    manifest, conn = region
    from benchmarks.region import generate as gen
    same = gen.generate(REGION_URL, "tiny", now=NOW, reuse=True, log=lambda *a: None)
    (count,) = conn.execute("SELECT count(*) FROM entry").fetchone()
    assert same["entries"] == manifest["entries"] and same["today"] == manifest["today"]
    later = gen.generate(REGION_URL, "tiny", now=NOW + timedelta(days=1), reuse=True, log=lambda *a: None)
    conn.rollback()
    assert later["today"] == "2026-11-26" and later["last_day"] == "2026-11-25"
    (after,) = conn.execute("SELECT count(*) FROM entry").fetchone()
    assert later["entries"] == manifest["entries"] + (after - count) and after > count + 25 * 30
    # The second day was confirmed on the third; the chain still verifies; the feed continued.
    assert conn.execute("SELECT count(*) FROM day_confirmation WHERE day = '2026-11-24'").fetchone()[0] >= 1
    columns = ("id", "prev_hash", "hash") + audit_chain.FIELDS
    chain = [dict(zip(columns, r)) for r in conn.execute(f"SELECT {', '.join(columns)} FROM audit_event ORDER BY id")]
    assert audit_chain.verify(chain).intact
    seqs = [s for (s,) in conn.execute("SELECT seq FROM entry ORDER BY seq")]
    assert len(seqs) == len(set(seqs))
