"""Home-visit entries (issue 18; domain/visits.py, domain/geo.py): the shared cases of tests/fixtures/visit_cases.json
in Python and in the carer's phone's JS (frontend/lib/visits.js, through tests/js/run_visits.mjs), then what the
server alone decides: refusals against the visit and her arrival (check_in_context) and the flags (flags)."""
import hashlib
import itertools
import json
import os
from datetime import date, datetime, timedelta, timezone

import pytest

from backend.domain import entries, geo, visits

from ..helpers import run_node

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(ROOT, "tests", "fixtures", "visit_cases.json"), encoding="utf-8") as _fh:
    CASES = json.load(_fh)


def entry_of(case):
    """A case's entry: base_entry with its fields, a repeated duration reason spelled out."""
    entry = dict(CASES["base_entry"], **case["entry"])
    if case.get("repeat"):
        text, times = case["repeat"]
        entry["values"] = dict(entry["values"], duration_reason=text * times)
    return entry


def codes(errors):
    return {field: error.code for field, error in errors.items()}


def named(cases):
    return pytest.mark.parametrize("case", cases, ids=[c.get("name", str(i)) for i, c in enumerate(cases)])


# --- the shared cases in Python -----------------------------------------------------------------------------------

@named(CASES["distances"])
def test_distance(case):
    assert geo.distance_m(*case["a"], *case["b"]) == case["m"]
    assert geo.distance_m(*case["b"], *case["a"]) == case["m"]


@named(CASES["rounding"])
def test_rounding(case):
    assert geo.round_fix(case["value"]) == case["rounded"]
    assert geo.round_fix(-case["value"]) == -case["rounded"]  # half away from zero: symmetric


def test_the_rounding_cases_tell_half_away_from_zero_from_math_round():
    import math
    js_math_round = [math.floor(c["value"] * 10**4 + 0.5) / 10**4 for c in CASES["rounding"]]
    assert any(naive != c["rounded"] for naive, c in zip(js_math_round, CASES["rounding"]))


@named(CASES["valid_fixes"])
def test_valid_fix(case):
    assert geo.valid_fix(case["lat"], case["lon"]) is case["valid"]


@named(CASES["code_hashes"])
def test_code_hash(case):
    assert visits.code_hash(case["salt"], case["code"]) == case["hash"]
    assert case["hash"] == hashlib.sha256(f"{case['salt']}:{case['code'].strip()}".encode()).hexdigest()


@named(CASES["checks"])
def test_check(case):
    errors = visits.check(entry_of(case))
    assert codes(errors) == case["errors"]
    assert all("%(" not in str(error) for error in errors.values())  # formatted with its values


@named(CASES["checks"])
def test_validate_fields_refuses_what_check_refuses(case):
    errors, flags = entries.validate_fields(entry_of(case), None)
    assert set(errors) == set(case["errors"]) and flags == {}


@named(CASES["local_flags"])
def test_local_flags(case):
    entry = entry_of(case)
    assert visits.check(entry) == {}, "flags are worked out for entries that fit"
    got = visits.local_flags(entry, visit=case["visit"], person=case["person"], arrival=case["arrival"])
    assert got == case["flags"]
    # flags() sets the same and, with nothing the server alone knows amiss, nothing else
    server = visits.flags(entry, visit=case["visit"], person=case["person"], arrival=case["arrival"], assigned=True,
                          server_now=None, device_now=None, code_hash_expected="3" * 64)
    assert server == case["flags"]


# --- the same cases on the phone ----------------------------------------------------------------------------------

JS_CONSTANTS = {
    "KIND": visits.KIND, "ARRIVED": visits.ARRIVED, "LEFT": visits.LEFT, "NO_ACCESS": visits.NO_ACCESS,
    "EVENTS": list(visits.EVENTS), "NO_ACCESS_REASONS": list(visits.NO_ACCESS_REASONS), "FIX": visits.FIX,
    "CODE": visits.CODE, "NONE": visits.NONE, "PRESENCE": list(visits.PRESENCE),
    "PRESENCE_REASONS": list(visits.PRESENCE_REASONS), "CONFIRMERS": list(visits.CONFIRMERS),
    "VALUE_KEYS": list(visits.VALUE_KEYS), "EVENT_KEYS": {k: list(v) for k, v in visits.EVENT_KEYS.items()},
    "PRESENCE_KEYS": {k: list(v) for k, v in visits.PRESENCE_KEYS.items()},
    "DURATION_REASON_MAX": visits.DURATION_REASON_MAX, "RADIUS_M": visits.RADIUS_M,
    "DURATION_OFF_MINUTES": visits.DURATION_OFF_MINUTES, "DURATION_MAX_HOURS": visits.DURATION_MAX_HOURS,
    "LOCAL_FLAGS": list(visits.LOCAL_FLAGS), "EARTH_RADIUS_M": geo.EARTH_RADIUS_M, "ROUND_DIGITS": geo.ROUND_DIGITS,
    "MESSAGES": {code: message.template for code, message in visits.MESSAGES.items()},
}


@pytest.fixture(scope="module")
def phone():
    return run_node("run_visits.mjs")


def test_the_phone_keeps_the_servers_lists_and_thresholds(phone):
    assert phone["constants"] == JS_CONSTANTS


def test_the_phone_measures_and_rounds_as_the_server(phone):
    assert phone["distances"] == [c["m"] for c in CASES["distances"]]
    assert phone["rounding"] == [c["rounded"] for c in CASES["rounding"]]
    assert phone["valid_fixes"] == [c["valid"] for c in CASES["valid_fixes"]]
    assert phone["code_hashes"] == [c["hash"] for c in CASES["code_hashes"]]


def test_the_phone_refuses_as_the_server(phone):
    for case, got in zip(CASES["checks"], phone["checks"], strict=True):
        assert got["errors"] == case["errors"], case["name"]
        assert got["shaped"], case["name"]


def test_the_phone_flags_as_the_server(phone):
    for case, got in zip(CASES["local_flags"], phone["local_flags"], strict=True):
        assert got == case["flags"], case["name"]


def test_every_refusal_has_a_case():
    """Each code check() can give is met in the shared cases, and every field it names."""
    met = {code for case in CASES["checks"] for code in case["errors"].values()}
    assert met == set(visits.MESSAGES)
    fields = {field for case in CASES["checks"] for field in case["errors"]}
    assert fields == {"item_id", "slot", "category", "values", "status", "reason", "note"} | {
        f"values.{key}" for key in visits.VALUE_KEYS} | {"values.steps"}
    assert {name for case in CASES["local_flags"] for name in case["flags"]} == set(visits.LOCAL_FLAGS)


# --- against the visit and her arrival (the server's alone) -------------------------------------------------------

DAY = date(2026, 11, 25)
VISIT = {"id": 7, "resident_id": 1, "day": DAY, "start_time": "09:00", "planned_minutes": 30, "cancelled_at": None}
HOME = {"lat": 39.9, "lon": 116.4, "radius_m": 200}
CODE_HASH = visits.code_hash("5f2a9c", "4821")


_n = itertools.count(1)


def visit_entry(status="arrived", time="2026-11-25T09:02:00+08:00", **values):
    base = {"arrived": {"presence": "fix", "lat": 39.9, "lon": 116.4, "accuracy_m": 10},
            "left": {"presence": "code", "code_hash": CODE_HASH, "confirmed_by": "person"},
            "no_access": {}}[status]
    entry = {"id": f"00000000-0000-7000-8000-{next(_n):012d}", "kind": "visit",
             "resident_id": 1, "day": DAY, "status": status, "reason": "not_home" if status == "no_access" else None,
             "note": None, "item_id": None, "slot": None, "category": None, "supersedes": None,
             "values": {"visit_id": 7, **base, **values}, "device_time": time}
    assert visits.check(entry) == {}
    return entry


ARRIVAL = visit_entry()


def test_an_entry_of_its_visit_fits():
    assert visits.check_in_context(ARRIVAL, VISIT, None) == {}
    assert visits.check_in_context(visit_entry("left", "2026-11-25T09:35:00+08:00"), VISIT, ARRIVAL) == {}
    assert visits.check_in_context(visit_entry("no_access"), VISIT, None) == {}
    # a left without an arrival fits (flagged: left_without_arrival)
    assert visits.check_in_context(visit_entry("left"), VISIT, None) == {}


def test_an_unknown_visit_or_another_homes_is_refused():
    assert codes(visits.check_in_context(ARRIVAL, None, None)) == {"values.visit_id": "unknown_visit"}


def test_another_persons_or_another_days_visit_is_refused():
    assert codes(visits.check_in_context(ARRIVAL, dict(VISIT, resident_id=2), None)) == {
        "values.visit_id": "other_person"}
    assert codes(visits.check_in_context(ARRIVAL, dict(VISIT, day=date(2026, 11, 26)), None)) == {
        "day": "other_day"}
    assert visits.check_in_context(ARRIVAL, dict(VISIT, day="2026-11-25"), None) == {}  # a day as text too


@pytest.mark.parametrize("left_at, problem", [
    ("2026-11-25T09:01:59+08:00", "before_arrival"),
    ("2026-11-25T01:01:59Z", "before_arrival"),              # the same instant in another offset
    ("2026-11-25T09:02:00+08:00", None),                     # at once: not before
    ("2026-11-26T09:02:00+08:00", None),                     # 24 h exactly
    ("2026-11-26T09:02:01+08:00", "too_long_after_arrival"),  # 24 h and a second
])
def test_a_left_before_its_arrival_or_a_day_after_it_is_refused(left_at, problem):
    got = codes(visits.check_in_context(visit_entry("left", left_at), VISIT, ARRIVAL))
    assert got == ({"device_time": problem} if problem else {})


def test_the_arrival_matters_only_to_a_left():
    early = visit_entry("no_access", "2026-11-25T08:00:00+08:00")
    assert visits.check_in_context(early, VISIT, ARRIVAL) == {}
    assert visits.check_in_context(visit_entry("arrived", "2026-11-25T08:00:00+08:00"), VISIT, ARRIVAL) == {}


def test_context_messages_are_formatted():
    error = visits.check_in_context(visit_entry("left", "2026-11-27T09:00:00+08:00"), VISIT, ARRIVAL)["device_time"]
    assert str(error) == "more than 24 hours after the arrival" and error.template.startswith("more than %(hours)s")


# --- flags --------------------------------------------------------------------------------------------------------

SERVER_NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


def flags_of(entry, **overrides):
    kw = dict(visit=VISIT, person=HOME, arrival=None, assigned=True, server_now=SERVER_NOW,
              device_now="2026-11-25T10:00:00+08:00", code_hash_expected=CODE_HASH)
    if entry["status"] == "left":
        kw["arrival"] = ARRIVAL
    kw.update(overrides)
    return visits.flags(entry, **kw)


def test_an_honest_visit_has_no_flags():
    assert flags_of(ARRIVAL) == {}
    assert flags_of(visit_entry("left", "2026-11-25T09:32:00+08:00")) == {}
    assert flags_of(visit_entry("no_access")) == {}


@pytest.mark.parametrize("device_now, flag", [
    ("2026-11-25T10:05:00+08:00", None),                     # 5 min ahead exactly
    ("2026-11-25T10:05:01+08:00", {"off_s": 301}),          # 5 min and a second ahead
    ("2026-11-25T09:55:00+08:00", None),                     # 5 min behind exactly
    ("2026-11-25T09:54:59+08:00", {"off_s": -301}),         # 5 min and a second behind
    ("2026-11-25T12:00:00+08:00", {"off_s": 7200}),         # two hours ahead
    ("2026-11-25T02:05:01Z", {"off_s": 301}),               # in another offset
    (datetime(2026, 11, 25, 2, 5, 1, tzinfo=timezone.utc), {"off_s": 301}),  # a datetime
    ("2026-11-25T12:00:00", None),                           # no offset: cannot be compared, not flagged
    ("yesterday", None),
    (None, None),
])
def test_clock_off(device_now, flag):
    got = flags_of(ARRIVAL, device_now=device_now)
    assert got == ({"clock_off": flag} if flag else {})


def test_clock_off_needs_the_servers_time():
    assert flags_of(ARRIVAL, server_now=None, device_now="2026-11-25T12:00:00+08:00") == {}


def test_not_assigned():
    assert flags_of(ARRIVAL, assigned=False) == {"not_assigned": True}
    assert flags_of(visit_entry("no_access"), assigned=False) == {"not_assigned": True}
    assert flags_of(ARRIVAL, assigned=None) == {}  # not known: not flagged


def test_second_arrival():
    second = visit_entry("arrived", "2026-11-25T09:10:00+08:00")
    assert flags_of(second, arrival=ARRIVAL) == {"second_arrival": {"first_id": ARRIVAL["id"]}}
    # a correction of her arrival is not a second one
    assert flags_of(dict(second, supersedes=ARRIVAL["id"]), arrival=ARRIVAL) == {}


def test_cancelled_visit():
    cancelled = dict(VISIT, cancelled_at=datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc))
    assert flags_of(ARRIVAL, visit=cancelled) == {"cancelled_visit": {"cancelled_at": "2026-11-25T01:00:00+00:00"}}
    assert flags_of(visit_entry("no_access"), visit=cancelled) == {
        "cancelled_visit": {"cancelled_at": "2026-11-25T01:00:00+00:00"}}


def test_wrong_code():
    left = visit_entry("left", "2026-11-25T09:30:00+08:00")
    assert flags_of(left) == {}
    assert flags_of(left, code_hash_expected=visits.code_hash("5f2a9c", "4822")) == {"wrong_code": {"code_set": True}}
    assert flags_of(left, code_hash_expected=None) == {"wrong_code": {"code_set": False}}  # she has no home code
    assert flags_of(ARRIVAL, code_hash_expected=None) == {}  # a fix needs no code


def test_duration_off_plan_with_and_without_a_reason():
    late = "2026-11-25T09:47:00+08:00"  # 45 min after the arrival at 09:02, planned 30
    assert flags_of(visit_entry("left", late)) == {"duration_off_plan": {"minutes": 45, "planned_minutes": 30}}
    assert flags_of(visit_entry("left", late, duration_reason="she fell; I waited for her daughter")) == {}
    assert flags_of(visit_entry("left", "2026-11-25T09:46:59+08:00")) == {}  # 14 min 59 s over
    assert flags_of(visit_entry("left", late), visit=dict(VISIT, planned_minutes=45)) == {}


def test_left_without_arrival():
    assert flags_of(visit_entry("left"), arrival=None) == {"left_without_arrival": True}


def test_far_counts_the_accuracy_up_to_one_radius():
    def at(lat, accuracy):
        return flags_of(visit_entry(lat=lat, accuracy_m=accuracy))
    assert at(39.9027, 100) == {}  # 300 m = 200 + 100
    assert at(39.9027, 99) == {"far": {"distance_m": 300, "radius_m": 200, "accuracy_m": 99}}
    assert at(39.9036, 5000) == {}  # 400 m = 200 + min(5000, 200)
    assert at(39.9037, 5000) == {"far": {"distance_m": 411, "radius_m": 200, "accuracy_m": 5000}}
    assert visits.is_far(401, 200, 10**6) and not visits.is_far(400, 200, 10**6)


def test_many_flags_at_once_in_a_stable_order():
    entry = visit_entry("left", "2026-11-25T11:00:00+08:00", presence="none", presence_reason="timeout",
                        code_hash=None)
    got = flags_of(entry, arrival=None, assigned=False, device_now="2026-11-25T12:00:00+08:00",
                   visit=dict(VISIT, cancelled_at="2026-11-25T08:00:00+08:00"))
    assert got == {"no_location": {"presence_reason": "timeout"}, "left_without_arrival": True,
                   "clock_off": {"off_s": 7200}, "not_assigned": True,
                   "cancelled_visit": {"cancelled_at": "2026-11-25T08:00:00+08:00"}}
    assert list(got) == [k for k in visits.FLAGS if k in got]
    json.dumps(got)  # stored as JSON


# --- the entry kind ---------------------------------------------------------------------------------------------

def test_visit_is_an_entry_kind():
    assert "visit" in entries.KINDS
    errors, flags = entries.validate_fields(ARRIVAL, None)
    assert errors == {} and flags == {}
    errors, _ = entries.validate_fields(dict(ARRIVAL, note="x" * (entries.NOTE_MAX + 1)), None)
    assert set(errors) == {"note"}


@pytest.mark.parametrize("old_changes, problem", [
    ({}, None),
    ({"values": dict(ARRIVAL["values"], visit_id=8)}, "superseded_mismatch"),  # another visit
    ({"status": "left"}, "superseded_mismatch"),                              # another event
    ({"author_id": 11}, "not_own_entry"),
])
def test_a_visit_entry_corrects_one_of_the_same_visit_and_event(old_changes, problem):
    old = {**ARRIVAL, "author_id": 10, **old_changes}
    new = dict(ARRIVAL, id="00000000-0000-7000-8000-999999999999", supersedes=old["id"], author_id=10,
               values=dict(ARRIVAL["values"], accuracy_m=5))
    assert entries.check_correction(new, old, 10, False) == problem


def test_a_supervisors_amendment_keeps_the_visit_and_event():
    old = dict(ARRIVAL, author_id=11)
    new = dict(ARRIVAL, supersedes=old["id"], author_id=12)
    assert entries.check_correction(new, old, 12, True) is None
    assert entries.check_correction(dict(new, status="no_access"), old, 12, True) == "superseded_mismatch"


def test_the_clock_thresholds_are_the_designs():
    assert visits.CLOCK_OFF_SECONDS == timedelta(minutes=5).total_seconds()
    assert (visits.RADIUS_M, visits.DURATION_OFF_MINUTES, visits.LATE_MINUTES, visits.MISSED_MINUTES,
            visits.FOLLOW_UP_SHARE) == (200, 15, 15, 60, 0.05)
