"""Shared conformance vectors: the Python rules and the tablet's JS rules must give the expected answers.

The vectors (tests/fixtures/schedule_cases.json, vitals_cases.json) are written by hand. Both runtimes
take the same input; the Python side turns an entry's `minute` into a local datetime on the case's day.
"""
import json
import os
from datetime import date, datetime, timedelta

import pytest

from backend.domain import days, schedule, signing, stay, vitals

from ..helpers import run_node

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
JS_FILES = [os.path.join(ROOT, "frontend", "lib", name) for name in ("schedule.js", "vitals.js", "signing.js")]


def load(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as fh:
        return json.load(fh)


SCHED = load("schedule_cases.json")
VITALS = load("vitals_cases.json")
DEFINITION = vitals.load_definition()
DAY = date.fromisoformat(SCHED["day"])


def _date(value):
    return date.fromisoformat(value) if value else None


def _local(minute):
    return datetime.combine(DAY, datetime.min.time()) + timedelta(minutes=minute)


def python_slots(case):
    return [{"key": s.key, "start": s.start, "time": s.time, "due": s.due}
            for s in schedule.slots(case["kind"], case["params"], case["grace_minutes"])]


def python_applies(case):
    return schedule.applies_on(date.fromisoformat(case["day"]), case["days_of_week"], _date(case["valid_from"]),
                               _date(case["valid_to"]))


def python_day(case):
    items = [{"id": i["id"], "schedule_kind": i["schedule_kind"], "schedule": i["schedule"],
              "days_of_week": i.get("days_of_week"), "valid_from": _date(i.get("valid_from")),
              "valid_to": _date(i.get("valid_to"))} for i in case["items"]]
    entries = [dict({k: v for k, v in e.items() if k != "minute"}, device_time=_local(e["minute"]))
               for e in case["entries"]]
    result = days.day_of_resident(1, items, entries, DAY, _local(case["now_minute"]), case["grace_minutes"],
                                  away=[tuple(w) for w in case.get("away", [])])
    return [{"item_id": c.item_id, "slot": c.slot, "time": c.time, "state": c.state,
             "entry_id": c.entry["id"] if c.entry else None, "late": c.late} for c in result.cells]


def python_away(case):
    def wall_clock(text):  # the home's clock; the pull adds the home's offset, which the rules read past
        return datetime.fromisoformat(text).replace(tzinfo=None) if text else None
    periods = [(wall_clock(a), wall_clock(b)) for a, b in case["periods"]]
    return [list(w) for w in stay.windows(periods, DAY)]


def python_periods(case):
    return [[p.key, p.due.isoformat(), p.end.isoformat()]
            for p in schedule.periods(case["kind"], case["params"], date.fromisoformat(case["day"]))]


def python_period_day(case):
    day = date.fromisoformat(case["day"])

    def at(e, on):
        return datetime.combine(on, datetime.min.time()) + timedelta(minutes=e["minute"])
    items = [dict(i, valid_from=_date(i.get("valid_from")), valid_to=_date(i.get("valid_to"))) for i in case["items"]]
    entries = [dict({k: v for k, v in e.items() if k != "minute"}, device_time=at(e, day), day=day)
               for e in case["entries"]]
    others = [dict({k: v for k, v in e.items() if k != "minute"}, device_time=at(e, date.fromisoformat(e["day"])),
                   day=date.fromisoformat(e["day"])) for e in case["period_entries"]]
    now = datetime.combine(day, datetime.min.time()) + timedelta(minutes=case["now_minute"])
    result = days.day_of_resident(1, items, entries, day, now, case["grace_minutes"],
                                  away=[tuple(w) for w in case.get("away", [])], period_entries=others)
    return {"cells": [{"item_id": c.item_id, "slot": c.slot, "time": c.time, "state": c.state,
                       "entry_id": c.entry["id"] if c.entry else None, "late": c.late} for c in result.cells],
            "period_done": [{"item_id": i, "slot": key, "entry_id": e["id"], "day": e["day"].isoformat()}
                            for i, key, e in result.period_done]}


def expected_period_day(case):
    return {"cells": case["expected"], "period_done": case["expected_period_done"]}


def python_vitals(case):
    errors, flags = vitals.check(case["values"], DEFINITION)
    return {"errors": sorted(errors), "flags": flags}


def expected_vitals(case):
    return {"errors": sorted(case["errors"]), "flags": case["flags"]}


def test_vectors_are_not_trivial():
    assert len(SCHED["day_cases"]) >= 15 and len(VITALS["cases"]) >= 25
    states = {cell["state"] for case in SCHED["day_cases"] for cell in case["expected"]}
    assert states == {"done", "not_done", "missing", "due", "upcoming", "away"}
    assert any(cell["late"] for case in SCHED["day_cases"] for cell in case["expected"])
    kinds = {i["schedule_kind"] for case in SCHED["day_cases"] + SCHED["period_day_cases"] for i in case["items"]}
    assert kinds == set(schedule.KINDS)
    assert {c["kind"] for c in SCHED["period_cases"]} == set(schedule.PERIODIC)
    periodic = {cell["state"] for case in SCHED["period_day_cases"] for cell in case["expected"]}
    assert periodic == {"done", "not_done", "missing", "due", "upcoming", "away"}
    assert any(case["expected_period_done"] for case in SCHED["period_day_cases"])


@pytest.mark.parametrize("case", SCHED["slot_cases"], ids=lambda c: c["name"])
def test_python_slots(case):
    assert python_slots(case) == case["expected"]


@pytest.mark.parametrize("case", SCHED["applies_cases"], ids=lambda c: c["name"])
def test_python_applies_on(case):
    assert python_applies(case) is case["expected"]


@pytest.mark.parametrize("case", SCHED["day_cases"], ids=lambda c: c["name"])
def test_python_day_of_resident(case):
    assert python_day(case) == case["expected"]


@pytest.mark.parametrize("case", SCHED["away_cases"], ids=lambda c: c["name"])
def test_python_away_windows(case):
    assert python_away(case) == case["expected"]


@pytest.mark.parametrize("case", SCHED["period_cases"], ids=lambda c: c["name"])
def test_python_periods(case):
    assert python_periods(case) == case["expected"]


@pytest.mark.parametrize("case", SCHED["period_day_cases"], ids=lambda c: c["name"])
def test_python_periodic_day(case):
    assert python_period_day(case) == expected_period_day(case)


@pytest.mark.parametrize("case", VITALS["cases"], ids=lambda c: c["name"])
def test_python_vitals(case):
    assert python_vitals(case) == expected_vitals(case)


@pytest.fixture(scope="module")
def js_results():
    missing = [p for p in JS_FILES if not os.path.exists(p)]
    assert not missing, f"the tablet's JS rules are missing: {missing}"
    return run_node("run_cases.mjs")


def _compare(name, cases, got, expected_of):
    assert len(got) == len(cases), f"{name}: JS returned {len(got)} results for {len(cases)} cases"
    wrong = [(c["name"], expected_of(c), g) for c, g in zip(cases, got) if g != expected_of(c)]
    assert not wrong, f"{name}: JS disagrees with the expected values: " + json.dumps(wrong, ensure_ascii=False)


def test_js_slots(js_results):
    _compare("slots", SCHED["slot_cases"], js_results["slots"], lambda c: c["expected"])


def test_js_applies_on(js_results):
    _compare("appliesOn", SCHED["applies_cases"], js_results["applies"], lambda c: c["expected"])


def test_js_day_of_resident(js_results):
    _compare("dayOfResident", SCHED["day_cases"], js_results["days"], lambda c: c["expected"])


def test_js_away_windows(js_results):
    _compare("awayWindows", SCHED["away_cases"], js_results["away"], lambda c: c["expected"])


def test_js_periods(js_results):
    _compare("periods", SCHED["period_cases"], js_results["periods"], lambda c: c["expected"])


def test_js_periodic_day(js_results):
    _compare("dayOfResident (periodic)", SCHED["period_day_cases"], js_results["periodDays"], expected_period_day)


def test_js_vitals(js_results):
    _compare("vitals.check", VITALS["cases"], js_results["vitals"], expected_vitals)


# --- entry signatures: frontend/lib/signing.js and backend/domain/signing.py sign the same bytes ----------------

SIGNING = load("signing_cases.json")
SECRET = signing.decode_key(SIGNING["secret"])


@pytest.mark.parametrize("index", range(len(SIGNING["cases"])))
def test_python_signs_the_vectors(index):
    case = SIGNING["cases"][index]
    entry = dict(SIGNING["base"], **case["change"])
    assert signing.canonical(entry) == case["canonical"]
    assert signing.sign(SECRET, entry) == case["sig"]
    # the server loads the day as a date: the text signed is the same
    assert signing.sign(SECRET, dict(entry, day=date.fromisoformat(entry["day"]))) == case["sig"]


def test_js_signs_the_vectors(js_results):
    got = js_results["signing"]
    want = [{"canonical": c["canonical"], "sig": c["sig"]} for c in SIGNING["cases"]]
    assert got == want
    assert js_results["proof"] == SIGNING["proof"]["expected"]
    assert signing.check_proof(SECRET, js_results["proof"], SIGNING["proof"]["purpose"], *SIGNING["proof"]["parts"])


def test_js_pin_wrap_opens_only_with_the_right_pin(js_results):
    pin = js_results["pin"]
    assert pin["right"] == SIGNING["cases"][0]["sig"]
    assert pin["wrong"] is None
    assert pin["stored"] == ["iterations", "iv", "salt", "wrapped"]  # no PIN, no clear key


@pytest.mark.parametrize("value,text", [(0, "0"), (-0.0, "0"), (36.6, "36.6"), (1e-7, "1e-7"), (1e21, "1e+21"),
                                        (1e20, "100000000000000000000"), (123.0, "123"), (0.5, "0.5"),
                                        (-1.5e-10, "-1.5e-10"), (2**53, "9007199254740992")])
def test_numbers_are_written_as_javascript_writes_them(value, text):
    assert signing.js_number(value) == text
