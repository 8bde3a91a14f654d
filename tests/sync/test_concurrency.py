"""No tablet misses an entry: writers push concurrently while pullers page by cursor, over a real HTTP server.

On PostgreSQL (TEST_DATABASE_URL) this is where sequence numbers could commit out of order: the feed's
numbers are allocated on the sync_state row, which serialises writers, and pull reads the high-water mark
first (backend/services/feed.py, services/sync.pull). Each puller must end with every entry exactly once.
"""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from werkzeug.serving import make_server

from backend.domain import signing
from backend.extensions import db
from backend.models import DutyPost, Resident, User
from backend.services.ids import uuid7
from ..conftest import DEMO_PASSWORD, LOGINS

DAY = "2026-11-25"
WRITERS, BATCHES, PER_BATCH, PULLERS = 4, 12, 4, 3


@pytest.fixture
def server(demo):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    srv = make_server("127.0.0.1", 0, demo, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(10)


def session(base, username, device_id="puller"):
    """A signed-in client; `s.key` signs entries as that person on that device."""
    s = requests.Session()
    s.headers.update({"X-Bedside": "1"})
    r = s.post(f"{base}/api/auth/login", json={"username": username, "password": DEMO_PASSWORD, "device_id": device_id},
               timeout=30)
    assert r.status_code == 200, r.text
    key = r.json()["signing_key"]
    s.key = (key["id"], signing.decode_key(key["secret"]))
    return s


def signed(s, e):
    return dict(e, key_id=s.key[0], sig=signing.sign(s.key[1], e))


def test_concurrent_push_and_cursor_pull_miss_nothing(demo, server):
    with demo.app_context():
        nurse1, nurse2 = (db.session.scalar(db.select(User).where(User.username == u))
                          for u in (LOGINS.nurse1, LOGINS.nurse2))
        post1 = db.session.scalar(db.select(DutyPost.id).where(DutyPost.unit_id == nurse1.unit_ids[0]))
        r1 = [r.id for r in Resident.query.filter_by(unit_id=nurse1.unit_ids[0]).order_by(Resident.id).limit(WRITERS)]
        r2 = Resident.query.filter_by(unit_id=nurse2.unit_ids[0]).first().id
        ids1, ids2 = nurse1.id, nurse2.id
        db.session.remove()
    writers = [session(server, LOGINS.nurse1, f"w{i}") for i in range(WRITERS)]
    other_unit = session(server, LOGINS.nurse2, "o")
    pullers = [session(server, LOGINS.nurse1) for _ in range(PULLERS)]
    start = pullers[0].get(f"{server}/api/sync/pull", params={"post_id": post1}, timeout=30).json()["cursor"]
    writing = threading.Event()
    writing.set()
    pushed, lock = [], threading.Lock()

    def write(index):
        s = writers[index]
        for b in range(BATCHES):
            batch = [signed(s, {"id": uuid7(), "kind": "note", "resident_id": r1[index], "day": DAY, "author_id": ids1,
                      "device_id": f"w{index}", "client_seq": b * PER_BATCH + k, "note": f"w{index} b{b} k{k}",
                      "device_time": f"{DAY}T10:00:00+07:00"}) for k in range(PER_BATCH)]
            r = s.post(f"{server}/api/sync/push", json={"device_id": f"w{index}", "entries": batch}, timeout=60)
            assert r.status_code == 200, r.text
            assert {x["status"] for x in r.json()["results"]} == {"accepted"}
            with lock:
                pushed.extend(e["id"] for e in batch)

    def write_other_unit():  # its feed numbers interleave with unit 1's; pullers of post 1 must skip them
        for b in range(BATCHES):
            e = signed(other_unit, {"id": uuid7(), "kind": "note", "resident_id": r2, "day": DAY, "author_id": ids2,
                                    "device_id": "o", "client_seq": b, "note": "other unit",
                                    "device_time": f"{DAY}T10:00:00+07:00"})
            r = other_unit.post(f"{server}/api/sync/push", json={"device_id": "o", "entries": [e]}, timeout=60)
            assert r.status_code == 200, r.text

    def pull(index):
        s, cursor, seen, rounds = pullers[index], start, [], 0
        while True:
            finished = not writing.is_set()  # read before the request: a page after this saw every commit
            r = s.get(f"{server}/api/sync/pull", params={"post_id": post1, "cursor": cursor, "limit": 5,
                                                          "device_id": f"puller{index}"}, timeout=60)
            assert r.status_code == 200, r.text
            page = r.json()
            for e in page["entries"]:
                assert cursor < e["seq"] <= page["cursor"], (cursor, e["seq"], page["cursor"])
            seen += [e["id"] for e in page["entries"]]
            assert page["cursor"] >= cursor
            cursor = page["cursor"]
            rounds += 1
            assert rounds < 5000, "the puller never caught up"
            if finished and not page["has_more"]:
                return seen, rounds

    with ThreadPoolExecutor(WRITERS + PULLERS + 1) as pool:
        pulls = [pool.submit(pull, i) for i in range(PULLERS)]
        writes = [pool.submit(write, i) for i in range(WRITERS)] + [pool.submit(write_other_unit)]
        try:
            for w in writes:
                w.result(timeout=300)
        finally:
            writing.clear()  # pullers stop even when a writer failed
        results = [p.result(timeout=300) for p in pulls]

    assert len(pushed) == WRITERS * BATCHES * PER_BATCH
    for seen, rounds in results:
        assert len(seen) == len(set(seen)), "a puller got an entry twice"
        assert sorted(seen) == sorted(pushed), f"a puller missed {len(set(pushed) - set(seen))} entries"
        assert rounds > 1
