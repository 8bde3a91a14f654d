"""Three tablets against the real app (issue 3, "Trust on shared tablets"): a Hypothesis state machine.

The administrator enrols three tablets for the demo home's post 1 through the API; each keeps its device
credential. On each tablet, people of unit 1 (nurse1, nurse3, supervisor1) sign in with a password (the server
issues them a signing key for that tablet), lock the screen or sign out, unlock it again with their PIN online
(the server's challenge, answered with a keyed proof) or offline (no request), and record entries: ticks, notes,
vital signs, and corrections of their own earlier ticks. Each entry is signed by its author's key for that tablet
and waits in the tablet's outbox until the server acknowledges it. The network decides each push's fate: it
arrives and the answer is heard, the request is lost, the answer is lost after the server committed, the same
request is sent twice, the batch arrives reordered, the locked tablet pushes with its device credential alone,
or the network flaps for several attempts. A supervisor confirms days from her office, the server restarts (a new
app on the same database; the browsers keep their cookies), and now and then someone unlocked tries to sign an
entry that names a colleague as its author.

The model (outbox, sent list, keys, who is unlocked, who holds the server session, which ids the server holds and
which confirmations exist) predicts every answer: `accepted` for a new id, `duplicate` for a known one, the `late`
flag, and `rejected: bad_signature` for a forged author only. At the end of each run the network is good, every
outbox is flushed, and the database is checked:

* every entry a tablet made is stored exactly once, with its payload, its stated author, its key and signature,
  and the person whose session pushed it (None for the device credential alone); it was answered `accepted`
  exactly once and is listed in exactly one audited push; no outbox keeps anything; nothing legitimate was ever
  rejected; no forged entry is stored;
* an entry is flagged `late_after_confirmation` exactly when a confirmation of its day (the unit's, or its
  resident's) existed when it arrived;
* the rows of a confirmed day, read when the day was confirmed, are unchanged;
* the audit hash chain verifies (`bedside audit verify`).

The figures (runs, steps, entries, lost, duplicated, server errors) are printed at the end: docs/security.md
quotes them.
"""
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from sqlalchemy import select

from backend.app import create_app
from backend.audit_cli import audit_group
from backend.domain import signing
from backend.domain import sync as sync_rules
from backend.extensions import db
from backend.models import AuditEvent, CardItem, CareCard, DayConfirmation, DutyPost, Entry, Resident, User
from backend.services.ids import uuid7
from backend.services.sync import ENTRY_COLUMNS

from ..conftest import DEMO_PASSWORD, LOGINS, Api
from ..helpers import corrections_after_targets

TABLETS = 3
PEOPLE = (LOGINS.nurse1, LOGINS.nurse3, LOGINS.supervisor1)  # unit 1's two nurses and the home's supervisor
RESIDENTS = 3
#: Hypothesis budget: about 45 s on SQLite and 75 s on PostgreSQL on a 2-core machine (measured; derandomized, so
#: both make the same 214 runs and 6,265 steps). STATE_MACHINE_EXAMPLES / _STEPS change it for a soak or a quick look.
MAX_EXAMPLES = int(os.environ.get("STATE_MACHINE_EXAMPLES", "150"))
STEPS = int(os.environ.get("STATE_MACHINE_STEPS", "50"))
NOTES = ("Спит, дыхание ровное", "拒绝服药，已通知医生", "ate well 🙂", 'said "no" twice', "tab\tand\nnewline",
         "Ü ß é — ok")
NOT_DONE = ("asleep", "refused", "absent", "not_needed")
FORGERIES_PER_RUN = 3
CONFIRMATIONS_PER_RUN = 3
RESTARTS_PER_RUN = 2

FIGURES = Counter()


class CountingApi(Api):
    """The tests' API client, counting requests and server errors (a 5xx, or an exception out of the app)."""

    def call(self, method, path, json=None, headers=None, **kwargs):
        FIGURES["requests"] += 1
        try:
            status, body = super().call(method, path, json=json, headers=headers, **kwargs)
        except Exception:
            FIGURES["server_errors"] += 1
            raise
        if status >= 500:
            FIGURES["server_errors"] += 1
        return status, body


@dataclass
class Tablet:
    device_id: str
    credential: str
    api: Api
    keys: dict = field(default_factory=dict)       # person -> (key id, raw secret) issued at her latest sign-in here
    current: str | None = None                    # unlocked person, None when locked
    session: str | None = None                     # whose server session the tablet's cookie carries
    outbox: list = field(default_factory=list)    # entries waiting for an acknowledgement, by client_seq
    sent: list = field(default_factory=list)      # acknowledged entries
    ticks: list = field(default_factory=list)     # the latest version of each tick made here
    seq: int = 0

    @property
    def headers(self):
        return {"X-Device-Id": self.device_id, "X-Device-Key": self.credential}


class Harness:
    """What outlives one Hypothesis run: the app (replaced by a restart), the demo's ids, the office clients."""

    def __init__(self, app, database_url, clock):
        self.app, self.database_url, self.clock = app, database_url, clock
        self.apps = []                               # apps made by restarts, disposed at the end
        with app.app_context():
            self.unit = db.session.scalar(select(User).where(User.username == LOGINS.nurse1)).unit_ids[0]
            self.people = {u: db.session.scalar(select(User.id).where(User.username == u)) for u in PEOPLE}
            assert {tuple(db.session.scalar(select(User).where(User.username == u)).unit_ids)
                    for u in PEOPLE[:2]} == {(self.unit,)}
            self.post = db.session.scalar(select(DutyPost.id).where(DutyPost.unit_id == self.unit))
            self.residents = []
            for r in Resident.query.filter_by(unit_id=self.unit).order_by(Resident.id).limit(RESIDENTS):
                item = (CardItem.query.join(CareCard).filter(CareCard.resident_id == r.id,
                                                             CardItem.schedule_kind == "times")
                        .order_by(CardItem.id).first())
                self.residents.append((r.id, item.id, item.schedule["times"]))
            db.session.remove()
        self.today = clock().date()  # 03:00 UTC is 10:00 in the demo home's zone: the same date
        self.admin = self.new_api()
        self.admin.login(LOGINS.admin1, device_id="office")
        self.office = self.new_api()   # supervisor1 at the office computer
        assert self.office.post("/api/auth/login",
                                {"username": LOGINS.supervisor1, "password": DEMO_PASSWORD})[0] == 200

    def new_api(self):
        return CountingApi(self.app.test_client())

    def restart(self, clients):
        """A new app on the same database (the old one's connections closed); browsers keep their cookies."""
        old = self.app
        self.app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": self.database_url, "CLOCK": self.clock,
                               "SECRET_KEY": "test-secret"})
        self.apps.append(self.app)
        with old.app_context():
            db.session.remove()
            db.engine.dispose()
        for api in clients:
            cookie = api.client.get_cookie("bedside_session")
            api.client = self.app.test_client()
            if cookie is not None:
                api.client.set_cookie("bedside_session", cookie.value)

    def close(self):
        for app in self.apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _sync_rule(fate):
    @precondition(lambda self: self._with_outbox())
    @rule(data=st.data(), size=st.integers(1, 8))
    def sync(self, data, size):
        tablet = data.draw(st.sampled_from(self._with_outbox()))
        self._step(f"fate_{fate}")
        self._attempt(tablet, size, fate, data)
    sync.__name__ = sync.__qualname__ = f"sync_{fate}"
    sync.__doc__ = f"A tablet pushes the head of its outbox; fate: {fate}."
    return sync


class ThreeTablets(RuleBasedStateMachine):
    harness: Harness = None

    def __init__(self):
        super().__init__()
        h = self.h = self.harness
        n = FIGURES["runs"]
        FIGURES["runs"] += 1
        # Each run gets two care days of its own (walking back from today), so runs do not share confirmations;
        # confirmations left by earlier runs on the same days (after a wrap) are known before the first push.
        back = 2 * (n % 180)
        self.days = [(h.today - timedelta(days=back + k)).isoformat() for k in (0, 1)]
        self.moment = 0                 # one tick per request: orders confirmations against pushes
        self.made = {}                  # id -> the entry as its tablet made it
        self.forged = set()
        self.server_has = set()         # ids the server stored (heard or not)
        self.accepted_at = {}           # id -> moment of the push that stored it
        self.pushed_by = {}             # id -> person whose session pushed it (None: the device credential)
        self.answers = {}               # id -> statuses the server answered, heard or not
        self.confirmations = []         # (moment, day, resident id or None)
        self.snapshots = {}             # entry id -> its row when a confirmation of its day was made
        self.restarts = self.confirmed = 0
        with h.app.app_context():
            for c in DayConfirmation.query.filter(DayConfirmation.unit_id == h.unit,
                                                  DayConfirmation.day.in_([date.fromisoformat(d)
                                                                           for d in self.days])):
                self.confirmations.append((-1, c.day.isoformat(), c.resident_id))
            db.session.remove()
        self.tablets = []
        for i in range(TABLETS):
            device_id = f"sm{n}-tab{i}"
            status, reply = h.admin.post("/api/devices", {"device_id": device_id, "name": f"Первый пост, планшет {i}",
                                                          "post_id": h.post})
            assert status == 201, reply
            self.tablets.append(Tablet(device_id, reply["credential"], h.new_api()))

    # --- people --------------------------------------------------------------------------------------------

    def _step(self, name):
        FIGURES["steps"] += 1
        FIGURES[name] += 1
        self.moment += 1

    @rule(t=st.integers(0, TABLETS - 1), person=st.sampled_from(PEOPLE))
    def sign_in(self, t, person):
        """A password sign-in on the tablet: a new signing key for her there, a new server session."""
        self._step("sign_ins")
        tablet = self.tablets[t]
        status, reply = tablet.api.post("/api/auth/login", {"username": person, "password": DEMO_PASSWORD,
                                                            "device_id": tablet.device_id}, headers=tablet.headers)
        assert status == 200, reply
        assert reply["id"] == self.h.people[person] and reply["signing_key"]
        tablet.keys[person] = (reply["signing_key"]["id"], signing.decode_key(reply["signing_key"]["secret"]))
        tablet.current = tablet.session = person

    def _known(self):
        return [(t, p) for t in self.tablets for p in t.keys]

    @precondition(lambda self: self._known())
    @rule(data=st.data(), online=st.booleans())
    def unlock(self, data, online):
        """PIN unlock by someone who signed in with her password on this tablet before: online it trades a proof
        over the server's challenge for a new session (ending the tablet's previous one); offline it is local."""
        tablet, person = data.draw(st.sampled_from(self._known()))
        self._step("unlocks_online" if online else "unlocks_offline")
        if online:
            user_id, (key_id, secret) = self.h.people[person], tablet.keys[person]
            status, reply = tablet.api.get("/api/auth/challenge", headers=tablet.headers)
            assert status == 200, reply
            challenge = reply["challenge"]
            status, reply = tablet.api.post("/api/auth/unlock", {
                "user_id": user_id, "key_id": key_id, "challenge": challenge,
                "proof": signing.proof(secret, "unlock", challenge, user_id, tablet.device_id)},
                headers=tablet.headers)
            assert status == 200, reply
            assert reply["id"] == user_id and reply["signing_key"] is None
            tablet.session = person
        tablet.current = person

    def _in_use(self):
        return [t for t in self.tablets if t.current or t.session]

    @precondition(lambda self: self._in_use())
    @rule(data=st.data(), sign_out=st.booleans())
    def lock(self, data, sign_out):
        """The idle lock (the session stays) or signing out (the session ends). The outbox stays either way."""
        tablet = data.draw(st.sampled_from(self._in_use()))
        self._step("sign_outs" if sign_out else "idle_locks")
        if sign_out:
            status, reply = tablet.api.post("/api/auth/logout", headers=tablet.headers)
            assert status == (200 if tablet.session else 401), reply
            tablet.session = None
        tablet.current = None

    # --- recording -----------------------------------------------------------------------------------------

    def _unlocked(self):
        return [t for t in self.tablets if t.current]

    def _new_entry(self, tablet, author, kind, resident, day, **fields):
        tablet.seq += 1
        e = {"id": uuid7(), "kind": kind, "resident_id": resident, "day": day, "author_id": self.h.people[author],
             "device_id": tablet.device_id, "client_seq": tablet.seq,
             "device_time": f"{day}T{8 + tablet.seq // 60 % 12:02d}:{tablet.seq % 60:02d}:00+07:00"}
        for name in ("item_id", "slot", "status", "reason", "note", "values", "supersedes"):
            if name in fields:
                e[name] = fields[name]
        return e

    def _keep(self, tablet, e, signer):
        key_id, secret = tablet.keys[signer]
        e.update(key_id=key_id, sig=signing.sign(secret, e))
        self.made[e["id"]] = e
        tablet.outbox.append(e)
        FIGURES["entries"] += 1

    def _record(self, data, kind, r, d, variant):
        """The unlocked person records an entry; it is signed with her key for this tablet."""
        tablet = data.draw(st.sampled_from(self._unlocked()))
        self._step("records")
        resident, item, times = self.h.residents[r]
        fields = {}
        if kind == "tick":
            fields.update(item_id=item, slot=times[variant % len(times)], status="done")
            if variant % 5 == 0:
                fields.update(status="not_done", reason=NOT_DONE[variant % len(NOT_DONE)])
        elif kind == "note":
            fields["note"] = f"{NOTES[variant % len(NOTES)]} #{len(self.made)}"
        else:
            fields["values"] = {"pulse": 50 + variant % 60, "temperature": round(35.5 + (variant % 30) / 10, 1)}
            if variant % 3 == 0:
                fields["values"].update(bp_systolic=110 + variant % 50, bp_diastolic=70 + variant % 15)
        e = self._new_entry(tablet, tablet.current, kind, resident, self.days[d], **fields)
        self._keep(tablet, e, tablet.current)
        if kind == "tick":
            tablet.ticks.append(e)

    @precondition(lambda self: self._unlocked())
    @rule(data=st.data(), r=st.integers(0, RESIDENTS - 1), d=st.integers(0, 1), variant=st.integers(0, 1000))
    def record_tick(self, data, r, d, variant):
        self._record(data, "tick", r, d, variant)

    @precondition(lambda self: self._unlocked())
    @rule(data=st.data(), r=st.integers(0, RESIDENTS - 1), d=st.integers(0, 1), variant=st.integers(0, 1000))
    def record_note(self, data, r, d, variant):
        self._record(data, "note", r, d, variant)

    @precondition(lambda self: self._unlocked())
    @rule(data=st.data(), r=st.integers(0, RESIDENTS - 1), d=st.integers(0, 1), variant=st.integers(0, 1000))
    def record_vitals(self, data, r, d, variant):
        self._record(data, "vitals", r, d, variant)

    def _correctable(self):
        return [t for t in self._unlocked()
                if any(e["author_id"] == self.h.people[t.current] for e in t.ticks)]

    @precondition(lambda self: self._correctable())
    @rule(data=st.data())
    def correct(self, data):
        """The unlocked person corrects the latest version of one of her own ticks on this tablet."""
        tablet = data.draw(st.sampled_from(self._correctable()))
        me = self.h.people[tablet.current]
        mine = [i for i, e in enumerate(tablet.ticks) if e["author_id"] == me]
        i = data.draw(st.sampled_from(mine))
        self._step("corrections")
        old = tablet.ticks[i]
        fields = {"item_id": old["item_id"], "slot": old["slot"], "supersedes": old["id"]}
        fields.update({"status": "done"} if old["status"] == "not_done" else {"status": "not_done",
                                                                            "reason": "refused"})
        e = self._new_entry(tablet, tablet.current, "tick", old["resident_id"], old["day"], **fields)
        self._keep(tablet, e, tablet.current)
        tablet.ticks[i] = e

    @precondition(lambda self: self._unlocked() and len(self.forged) < FORGERIES_PER_RUN)
    @rule(data=st.data(), with_their_key_id=st.booleans(), size=st.integers(0, 4), r=st.integers(0, RESIDENTS - 1))
    def forge(self, data, with_their_key_id, size, r):
        """The unlocked person signs an entry that names a colleague as its author, with her own key (under her
        key id, or under the colleague's key id when the tablet holds one). Pushed with the outbox's head, it
        must be refused as bad_signature alone, and never stored."""
        tablet = data.draw(st.sampled_from(self._unlocked()))
        victim = data.draw(st.sampled_from([p for p in PEOPLE if p != tablet.current]))
        self._step("forgeries")
        e = self._new_entry(tablet, victim, "note", self.h.residents[r][0], self.days[0],
                            note=f"signed by {tablet.current}")
        key_id, secret = tablet.keys[tablet.current]
        if with_their_key_id and victim in tablet.keys:
            key_id = tablet.keys[victim][0]
        e.update(key_id=key_id, sig=signing.sign(secret, e))
        self.forged.add(e["id"])
        batch = [dict(x) for x in tablet.outbox[:size]]
        batch.insert(data.draw(st.integers(0, len(batch))), e)
        self._hear(tablet, self._push(tablet, batch))

    # --- the network ---------------------------------------------------------------------------------------

    def _push(self, tablet, batch, courier=False):
        """Send a batch; check every answer against the model; return the results."""
        self.moment += 1
        api = self.h.new_api() if courier else tablet.api
        status, reply = api.post("/api/sync/push", {"device_id": tablet.device_id, "post_id": self.h.post,
                                                    "outbox_len": len(tablet.outbox), "entries": batch},
                                 headers=tablet.headers)
        assert status == 200, reply
        FIGURES["pushes"] += 1
        results = reply["results"]
        assert [r["id"] for r in results] == [e["id"] for e in batch]
        assert reply["device_revoked"] is False
        pusher = None if courier else tablet.session
        for e, r in zip(batch, results):
            self.answers.setdefault(e["id"], []).append(r["status"])
            if e["id"] in self.forged:
                assert (r["status"], r["reason"]) == ("rejected", "bad_signature"), r
                FIGURES["forgeries_refused"] += 1
                continue
            if r["status"] == "rejected":
                FIGURES["rejected_legitimate"] += 1
            if e["id"] in self.server_has:
                assert r["status"] == "duplicate", (r, e)
                continue
            assert r["status"] == "accepted", (r, e)
            assert r["late"] == self._late(e, self.moment), (r, e, self.confirmations)
            self.server_has.add(e["id"])
            self.accepted_at[e["id"]] = self.moment
            self.pushed_by[e["id"]] = pusher
        return results

    def _late(self, e, moment):
        return any(m < moment and day == e["day"] and rid in (None, e["resident_id"])
                   for m, day, rid in self.confirmations)

    @staticmethod
    def _hear(tablet, results):
        done = {r["id"] for r in results if r["status"] in ("accepted", "duplicate")}
        tablet.sent += [e for e in tablet.outbox if e["id"] in done]
        tablet.outbox = [e for e in tablet.outbox if e["id"] not in done]

    def _attempt(self, tablet, size, fate, data):
        """One push of the outbox's head (oldest first, as the tablet sends) with the network's verdict."""
        batch = [dict(e) for e in tablet.outbox[:size]]
        if fate == "lost_request":
            self.moment += 1
            FIGURES["lost_requests"] += 1
            return
        if fate == "reordered":
            batch = corrections_after_targets(data.draw(st.permutations(batch)))
        results = self._push(tablet, batch, courier=(fate == "device_only"))
        if fate == "twice":  # a double tap, or a retry after a timeout that was in fact delivered
            results = self._push(tablet, batch)
            assert {r["status"] for r in results} == {"duplicate"}
        if fate == "lost_response":
            FIGURES["lost_responses"] += 1
            return
        self._hear(tablet, results)

    def _with_outbox(self):
        return [t for t in self.tablets if t.outbox]

    # A tablet pushes the head of its outbox; the network decides (one rule per fate, so each gets its share):
    # heard, request lost, answer lost after the commit, sent twice, reordered, or pushed while locked with the
    # tablet's device credential alone (no session).
    sync_ok = _sync_rule("ok")
    sync_lost_request = _sync_rule("lost_request")
    sync_lost_response = _sync_rule("lost_response")
    sync_twice = _sync_rule("twice")
    sync_reordered = _sync_rule("reordered")
    sync_device_only = _sync_rule("device_only")

    @precondition(lambda self: self._with_outbox())
    @rule(data=st.data(), size=st.integers(1, 8),
          fates=st.lists(st.sampled_from(["ok", "lost_request", "lost_response"]), min_size=2, max_size=5))
    def flap(self, data, size, fates):
        """The network flaps: the tablet retries its outbox's head several times; some attempts get through."""
        tablet = data.draw(st.sampled_from(self._with_outbox()))
        self._step("fate_flapping")
        for fate in fates:
            if tablet.outbox:
                self._attempt(tablet, size, fate, data)

    @precondition(lambda self: any(t.sent for t in self.tablets))
    @rule(data=st.data())
    def replay(self, data):
        """A stale retry of acknowledged entries (from the tablet's `sent` list): all duplicates."""
        tablet = data.draw(st.sampled_from([t for t in self.tablets if t.sent]))
        self._step("replays")
        results = self._push(tablet, [dict(e) for e in tablet.sent[-3:]])
        assert {r["status"] for r in results} == {"duplicate"}

    # --- the office and the server -------------------------------------------------------------------------

    @precondition(lambda self: self.confirmed < CONFIRMATIONS_PER_RUN)
    @rule(d=st.integers(0, 1), whole_unit=st.booleans(), r=st.integers(0, RESIDENTS - 1))
    def confirm(self, d, whole_unit, r):
        """supervisor1 confirms the unit's day (or one resident's day) from her office."""
        self._step("confirmations")
        day = self.days[d]
        resident = None if whole_unit else self.h.residents[r][0]
        body = {} if whole_unit else {"resident_id": resident}
        status, reply = self.h.office.post(f"/api/units/{self.h.unit}/days/{day}/confirm", body)
        assert status == 201, reply
        self.confirmations.append((self.moment, day, resident))
        self.confirmed += 1
        with self.h.app.app_context():
            where = [Entry.unit_id == self.h.unit, Entry.day == date.fromisoformat(day)]
            if resident is not None:
                where.append(Entry.resident_id == resident)
            for row in db.session.execute(select(*[getattr(Entry, c) for c in ENTRY_COLUMNS]).where(*where)):
                self.snapshots.setdefault(row.id, tuple(row))
            db.session.remove()

    @precondition(lambda self: self.restarts < RESTARTS_PER_RUN)
    @rule()
    def restart(self):
        """The server restarts: a new app on the same database. Sessions live in the database, so the tablets'
        and the office's cookies keep working."""
        self._step("restarts")
        self.restarts += 1
        self.h.restart([t.api for t in self.tablets] + [self.h.admin, self.h.office])
        for t in self.tablets:
            if t.session:
                status, me = t.api.get("/api/auth/me")
                assert status == 200 and me["id"] == self.h.people[t.session], me

    # --- the end of a run ----------------------------------------------------------------------------------

    def teardown(self):
        # The network is good again: every tablet flushes its outbox, a batch at a time.
        for t in self.tablets:
            for _ in range(len(t.outbox) + 1):
                if not t.outbox:
                    break
                self._hear(t, self._push(t, [dict(e) for e in t.outbox[:5]]))
            assert t.outbox == [], f"{t.device_id}: entries stuck in the outbox"
        made = self.made
        for eid in made:
            counts = Counter(self.answers.get(eid, []))
            assert counts["accepted"] == 1 and set(counts) <= {"accepted", "duplicate"}, (eid, counts)
        with self.h.app.app_context():
            ids = list(made) + list(self.forged)
            rows = {row.id: row for row in db.session.execute(
                select(Entry.id, Entry.payload_hash, Entry.author_id, Entry.key_id, Entry.signature, Entry.pushed_by,
                       Entry.late_after_confirmation, Entry.from_revoked_device, Entry.device_id, Entry.client_seq)
                .where(Entry.id.in_(ids)))} if ids else {}
            lost = set(made) - set(rows)
            FIGURES["lost"] += len(lost)
            assert not lost, sorted(lost)[:5]
            assert not set(rows) & self.forged, "a forged entry was stored"
            for eid, e in made.items():
                row = rows[eid]
                assert row.payload_hash == sync_rules.payload_hash(e), eid
                assert (row.author_id, row.key_id, row.signature, row.device_id, row.client_seq) == (
                    e["author_id"], e["key_id"], e["sig"], e["device_id"], e["client_seq"]), eid
                pusher = self.pushed_by[eid]
                assert row.pushed_by == (self.h.people[pusher] if pusher else None), eid
                assert row.late_after_confirmation == self._late(e, self.accepted_at[eid]), eid
                assert row.from_revoked_device is False
            FIGURES["late"] += sum(1 for eid in made if rows[eid].late_after_confirmation)
            # Exactly once: the id is the primary key, and each entry is in exactly one audited push.
            devices = [t.device_id for t in self.tablets]
            audited, refused = Counter(), Counter()
            for (detail,) in db.session.execute(select(AuditEvent.detail).where(
                    AuditEvent.action == "entries_push", AuditEvent.device_id.in_(devices))):
                audited.update(detail["accepted"])
                refused.update(r["id"] for r in detail["rejected"] if r["reason"] == "bad_signature")
            duplicated = sum(n - 1 for n in audited.values() if n > 1)
            FIGURES["duplicated"] += duplicated
            assert audited == Counter(list(made)), "an entry was stored twice, or stored without an audited push"
            assert set(refused) == self.forged
            # What was on the server when its day was confirmed never changed.
            if self.snapshots:
                now = {row.id: tuple(row) for row in db.session.execute(
                    select(*[getattr(Entry, c) for c in ENTRY_COLUMNS]).where(Entry.id.in_(list(self.snapshots))))}
                assert now == self.snapshots, "a row of a confirmed day changed"
            db.session.remove()
        result = self.h.app.test_cli_runner().invoke(audit_group, ["verify"])
        assert result.exit_code == 0 and "intact" in result.output, result.output


def test_three_tablets_against_the_real_app(demo, database_url, clock):
    FIGURES.clear()
    FIGURES.update(dict.fromkeys(("lost", "duplicated", "server_errors", "rejected_legitimate"), 0))
    started = time.monotonic()
    harness = ThreeTablets.harness = Harness(demo, database_url, clock)
    try:
        run_state_machine_as_test(ThreeTablets, settings=settings(
            max_examples=MAX_EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    finally:
        harness.close()
        ThreeTablets.harness = None
    FIGURES["seconds"] = round(time.monotonic() - started)
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    print(f"\nthree-tablet state machine ({backend}): " + ", ".join(f"{k} {v}" for k, v in sorted(FIGURES.items())))
    assert FIGURES["lost"] == FIGURES["duplicated"] == FIGURES["rejected_legitimate"] == FIGURES["server_errors"] == 0
    assert FIGURES["entries"] > 0 and FIGURES["forgeries_refused"] > 0 and FIGURES["late"] > 0


@pytest.mark.parametrize("order", [["a", "b", "c", "x"], ["c", "b", "a", "x"], ["x", "c", "a", "b"]])
def test_reordering_keeps_corrections_after_their_target(order):
    entries = {"a": {"id": "a"}, "b": {"id": "b", "supersedes": "a"}, "c": {"id": "c", "supersedes": "b"},
               "x": {"id": "x"}}
    out = [e["id"] for e in corrections_after_targets([entries[i] for i in order])]
    assert out.index("a") < out.index("b") < out.index("c") and sorted(out) == ["a", "b", "c", "x"]
