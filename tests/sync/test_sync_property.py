"""Property test of sync against the real app: several tablets, random batches, duplicate sends, lost requests,
lost answers (the server committed, the tablet did not hear), stale replays, re-pushes through another tablet,
corrections, and reordering of the tablets' flushes.

Invariants: every entry is stored exactly once with the tablet's payload; across every answer the server
gave, each entry was `accepted` exactly once and otherwise `duplicate` (never rejected); every outbox empties
once the network is good; a puller paging by cursor sees every entry exactly once.
"""
import itertools
import random
from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.domain import sync as sync_rules
from backend.extensions import db
from backend.models import AuditEvent, Entry, Resident, User
from backend.services.ids import uuid7

from ..helpers import corrections_after_targets
from ..conftest import LOGINS

DAY = "2026-11-25"
TABLETS = 3

record = st.tuples(st.just("record"), st.integers(0, TABLETS - 1), st.sampled_from(["tick", "note", "vitals"]),
                   st.integers(0, 2), st.integers(0, 1))
correct = st.tuples(st.just("correct"), st.integers(0, TABLETS - 1))
flush = st.tuples(st.just("sync"), st.integers(0, TABLETS - 1), st.integers(1, 6),
                  st.sampled_from(["ok", "ok", "lost_request", "lost_response"]), st.booleans(), st.integers(0, 2**16))
replay = st.tuples(st.just("replay"), st.integers(0, TABLETS - 1))
relay = st.tuples(st.just("relay"), st.integers(0, TABLETS - 1), st.integers(0, TABLETS - 1))
OPS = st.lists(st.one_of(record, record, correct, flush, flush, replay, relay), min_size=12, max_size=40)


class Tablet:
    def __init__(self, api, device_id):
        self.api, self.device_id = api, device_id
        self.outbox, self.sent, self.ticks, self.seq = [], [], [], itertools.count(1)


def _in_order(batch, rng):
    """Shuffle a batch, then keep each correction after the entry it corrects (as one tablet writes them)."""
    rng.shuffle(batch)
    return corrections_after_targets(batch)


class Harness:
    def __init__(self, app, make_api):
        self.app = app
        with app.app_context():
            self.authors = [db.session.scalar(select(User.id).where(User.username == u))
                            for u in (LOGINS.nurse1, LOGINS.supervisor1)]
            nurse_unit = db.session.scalar(select(User).where(User.username == LOGINS.nurse1)).unit_ids[0]
            residents = Resident.query.filter_by(unit_id=nurse_unit).order_by(Resident.id).limit(3).all()
            self.residents = [(r.id, r.post_id, r.id and self._first_timed_item(r.id)) for r in residents]
            db.session.remove()
        self.post_id = self.residents[0][1]
        self.clients = []
        for _ in range(TABLETS):
            client = make_api()
            client.login(LOGINS.nurse1)
            self.clients.append(client)
        self.examples = itertools.count()

    @staticmethod
    def _first_timed_item(resident_id):
        from backend.models import CardItem, CareCard
        item = (CardItem.query.join(CareCard).filter(CareCard.resident_id == resident_id,
                                                     CardItem.schedule_kind == "times").order_by(CardItem.id).first())
        return item.id, item.schedule["times"][0]

    def run(self, ops):
        n = next(self.examples)
        tablets = [Tablet(self.clients[i], f"ex{n}-tab{i}") for i in range(TABLETS)]
        for t in tablets:  # both authors signed in on every tablet: their keys sign what they record there
            t.api.login(LOGINS.supervisor1, device_id=t.device_id)
            t.api.login(LOGINS.nurse1, device_id=t.device_id)
        status, snap = tablets[0].api.get(f"/api/sync/pull?post_id={self.post_id}&cursor=0")
        assert status == 200
        start_cursor = snap["cursor"]
        made = {}                       # id -> the entry as the tablet made it
        answers = defaultdict(list)     # id -> every status the server answered (heard or not)

        def push(tablet, batch, fate):
            if fate == "lost_request":
                return None
            status, reply = tablet.api.post("/api/sync/push", {"device_id": tablet.device_id, "post_id": self.post_id,
                                                               "outbox_len": len(tablet.outbox), "entries": batch})
            assert status == 200, reply
            for r in reply["results"]:
                answers[r["id"]].append(r["status"])
                assert r["status"] != "rejected", (r, next(e for e in batch if e["id"] == r["id"]))
            return None if fate == "lost_response" else reply["results"]

        def hear(tablet, results):
            done = {r["id"] for r in results if r["status"] in ("accepted", "duplicate")}
            tablet.sent += [e for e in tablet.outbox if e["id"] in done]
            tablet.outbox = [e for e in tablet.outbox if e["id"] not in done]

        for op in ops:
            kind, t = op[0], tablets[op[1]]
            if kind == "record":
                _, _, entry_kind, r_index, a_index = op
                rid, _, (item_id, slot) = self.residents[r_index]
                e = {"id": uuid7(), "kind": entry_kind, "resident_id": rid, "day": DAY,
                     "author_id": self.authors[a_index], "device_id": t.device_id, "client_seq": next(t.seq),
                     "device_time": f"{DAY}T10:{len(made) % 60:02d}:00+07:00"}
                if entry_kind == "tick":
                    e.update(item_id=item_id, slot=slot, status="done")
                    t.ticks.append(e)
                elif entry_kind == "note":
                    e["note"] = f"note {len(made)}"
                else:
                    e["values"] = {"pulse": 60 + len(made) % 50}
                made[e["id"]] = e
                t.outbox.append(e)
            elif kind == "correct":
                if not t.ticks:
                    continue
                old = t.ticks[-1]
                e = dict(old, id=uuid7(), client_seq=next(t.seq), supersedes=old["id"],
                         status="not_done" if old["status"] == "done" else "done")
                for name in ("reason", "key_id", "sig"):  # a new entry: the tablet signs it afresh
                    e.pop(name, None)
                if e["status"] == "not_done":
                    e["reason"] = "asleep"
                t.ticks[-1] = e
                made[e["id"]] = e
                t.outbox.append(e)
            elif kind == "sync":
                _, _, size, fate, twice, seed = op
                batch = _in_order([dict(e) for e in t.outbox[:size]], random.Random(seed))
                if not batch:
                    continue
                results = push(t, batch, fate)
                if twice:  # the same request sent again (double tap, retry after a timeout)
                    results = push(t, batch, "ok") or results
                if results is not None:
                    hear(t, results)
            elif kind == "replay":  # a stale retry of entries the server already acknowledged
                if t.sent:
                    results = push(t, t.sent[-3:], "ok")
                    assert {r["status"] for r in results} == {"duplicate"}
            elif kind == "relay":  # another tablet re-pushes them (a restored backup's `sent` store)
                other = tablets[op[2]]
                if other.sent:
                    results = push(t, other.sent[-2:], "ok")
                    assert {r["status"] for r in results} == {"duplicate"}

        # the network is good again: every tablet flushes until its outbox is empty
        for t in tablets:
            for _ in range(len(t.outbox) + 1):
                if not t.outbox:
                    break
                hear(t, push(t, list(t.outbox[:6]), "ok"))
            assert t.outbox == [], "an entry was never acknowledged"

        self.check(made, answers, start_cursor, tablets[0].api)

    def check(self, made, answers, start_cursor, api):
        assert set(answers) <= set(made)
        for eid in made:
            counts = Counter(answers[eid])
            assert counts["accepted"] == 1, (eid, answers[eid])
            assert set(counts) <= {"accepted", "duplicate"}
        with self.app.app_context():
            ids = list(made)
            stored = dict(db.session.execute(select(Entry.id, Entry.payload_hash).where(Entry.id.in_(ids))).all())
            assert stored == {eid: sync_rules.payload_hash(e) for eid, e in made.items()}
            audited = Counter(i for (detail,) in db.session.execute(
                select(AuditEvent.detail).where(AuditEvent.action == "entries_push")) for i in detail["accepted"]
                if i in made)
            assert audited == Counter(ids)  # each stored entry is in exactly one audited push
            db.session.remove()
        seen, cursor = [], start_cursor
        while True:
            status, page = api.get(f"/api/sync/pull?post_id={self.post_id}&cursor={cursor}&limit=7")
            assert status == 200
            seen += [e["id"] for e in page["entries"]]
            cursor = page["cursor"]
            if not page["has_more"]:
                break
        assert sorted(seen) == sorted(made), "a puller missed or repeated an entry"


def test_sync_converges_exactly_once(demo, make_api):
    harness = Harness(demo, make_api)

    @settings(max_examples=100, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(OPS)
    def run(ops):
        harness.run(ops)

    run()


def test_in_order_keeps_corrections_after_their_target():
    a, b, c = {"id": "a"}, {"id": "b", "supersedes": "a"}, {"id": "c", "supersedes": "b"}
    for seed in range(30):
        order = [e["id"] for e in _in_order([c, b, a, {"id": "x"}], random.Random(seed))]
        assert order.index("a") < order.index("b") < order.index("c") and sorted(order) == ["a", "b", "c", "x"]
