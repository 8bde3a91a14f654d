"""Home visits through the one push (issue 18): a carer's arrival, departure and no-access are entries like any
other -- idempotent, signed -- refused only for what no honest phone sends, naming the field, and otherwise stored
with the server's flags (far, wrong code, clock off, not assigned, second arrival, duration off plan, cancelled)."""
from datetime import date, datetime, timedelta

import pytest

from backend.domain import geo, visits
from backend.extensions import db
from backend.models import Entry, Resident, Unit, Visit, VisitCarer

from ..conftest import LOGINS
from ..helpers import entry as make_entry
from .conftest import DAY, push

HOME = (40.8175, 111.6522)
SALT = "c0ffee"


@pytest.fixture
def call(demo, world):
    """Resident r1 lives at HOME with a home code; one visit today at 09:00 for 60 minutes, nurse1 its carer; a
    second visit, cancelled."""
    with demo.app_context():
        r1 = db.session.get(Resident, world.r1)
        r1.lat, r1.lon, r1.radius_m = HOME[0], HOME[1], 200
        r1.home_code_salt, r1.home_code_hash = SALT, visits.code_hash(SALT, "4821")
        home_id = db.session.get(Unit, world.unit1).home_id
        now = datetime(2026, 11, 25, 1, 0)
        made = []
        for cancelled in (None, now):
            v = Visit(home_id=home_id, unit_id=world.unit1, resident_id=world.r1, day=date.fromisoformat(DAY),
                      start_time="09:00", planned_minutes=60, source="plan", item_ids=[], created_at=now,
                      created_by=world.supervisor, cancelled_at=cancelled, seq=10**6 + len(made))
            db.session.add(v)
            db.session.flush()
            db.session.add(VisitCarer(visit_id=v.id, carer_id=world.nurse1, assigned_at=now,
                                      assigned_by=world.supervisor))
            made.append(v.id)
        db.session.commit()
        db.session.remove()
    return made


def visit_entry(world, visit_id, status, author=None, at="09:02", **values):
    fields = {"values": {"visit_id": visit_id, **values}, "status": status,
              "device_time": f"{DAY}T{at}:00+07:00"}
    for key in ("reason", "note"):
        if key in values:
            fields[key] = fields["values"].pop(key)
    return make_entry(world.r1, author or world.nurse1, kind="visit", **fields)


def fix(lat, lon, accuracy=12):
    return {"presence": "fix", "lat": geo.round_fix(lat), "lon": geo.round_fix(lon), "accuracy_m": accuracy}


def stored_flags(demo, entry_id):
    with demo.app_context():
        flags = db.session.get(Entry, entry_id).flags
        db.session.remove()
    return flags


def test_an_honest_visit_is_stored_once_and_what_is_odd_is_flagged(demo, world, api, call):
    visit, cancelled = call
    api.login(LOGINS.nurse1)
    arrived = visit_entry(world, visit, "arrived", **fix(HOME[0] + 0.0004, HOME[1]))  # about 45 m from the door
    left = visit_entry(world, visit, "left", at="09:20", presence="code", code_hash=visits.code_hash(SALT, "4821"),
                       confirmed_by="person")  # 18 minutes of a planned hour, no reason
    first = push(api, [arrived, left], device_now=f"{DAY}T10:00:30+07:00")  # the server: 10:00
    assert [(r["status"], r["flags"]) for r in first] == [
        ("accepted", None), ("accepted", {"duration_off_plan": {"minutes": 18, "planned_minutes": 60}})]
    again = push(api, [arrived, left])  # the first answer lost: the retry's tells the stored flags
    assert [(r["status"], r["flags"]) for r in again] == [
        ("duplicate", None), ("duplicate", {"duration_off_plan": {"minutes": 18, "planned_minutes": 60}})]
    assert stored_flags(demo, left["id"]) == {"duration_off_plan": {"minutes": 18, "planned_minutes": 60}}

    # Everything else an honest phone can produce is stored, flagged
    far = visit_entry(world, visit, "arrived", at="09:30", **fix(HOME[0] + 0.05, HOME[1]))  # 5.6 km, a second arrival
    wrong = visit_entry(world, cancelled, "arrived", presence="code", code_hash=visits.code_hash(SALT, "0000"))
    api.login(LOGINS.nurse3)  # the unit's sitter: not this visit's carer
    other = visit_entry(world, visit, "no_access", author=world.users[LOGINS.nurse3], reason="not_home")
    results = push(api, [far, wrong, other], device_now=(datetime.fromisoformat(f"{DAY}T10:00:00+07:00")
                                                          + timedelta(hours=2)).isoformat())
    assert [r["status"] for r in results] == ["accepted"] * 3, results
    assert set(results[0]["flags"]) == {"far", "second_arrival", "clock_off"}
    assert results[0]["flags"]["second_arrival"] == {"first_id": arrived["id"]}
    assert results[0]["flags"]["far"]["distance_m"] > 5000
    assert set(results[1]["flags"]) == {"wrong_code", "cancelled_visit", "clock_off"}
    assert set(results[2]["flags"]) == {"not_assigned", "clock_off"}  # not its carer
    assert results[2]["flags"]["clock_off"] == {"off_s": 7200}


def test_what_no_honest_phone_sends_is_refused_naming_the_field(demo, world, api, call):
    visit, _cancelled = call
    api.login(LOGINS.nurse1)
    arrived = visit_entry(world, visit, "arrived", at="10:00", presence="none", presence_reason="denied")
    push(api, [arrived])
    cases = [
        (visit_entry(world, visit, "arrived", lat=91.0, lon=111.0, accuracy_m=5, presence="fix"), "values.lat"),
        (visit_entry(world, visit, "arrived", **dict(fix(*HOME), accuracy_m=-1)), "values.accuracy_m"),
        (visit_entry(world, visit, "no_access", reason="asleep"), "reason"),
        (visit_entry(world, visit, "left", at="09:59", presence="none", presence_reason="denied",
                     confirmed_by="family"), "device_time"),  # before her arrival
        (visit_entry(world, 10**7, "arrived", **fix(*HOME)), "values.visit_id"),  # no such visit here
    ]
    results = push(api, [e for e, _ in cases])
    for (_, field), r in zip(cases, results):
        assert r["status"] == "rejected" and field in r["fields"], r
    assert results[-1]["reason"] == "unknown_visit"
    with demo.app_context():
        assert Entry.query.filter_by(kind="visit").count() == 1  # the arrival alone
        db.session.remove()
