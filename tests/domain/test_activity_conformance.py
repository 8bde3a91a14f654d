"""The timetable and attendance rules exist twice, on the server (backend/domain/activity_schedule.py,
attendance.py) and on the tablet (frontend/lib/activities.js, which works offline); the shared cases in
tests/fixtures/activity_cases.json keep them equal."""
import json
import os
from datetime import date

import pytest

from backend.domain import activity_schedule, attendance

from ..helpers import run_node

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(ROOT, "tests", "fixtures", "activity_cases.json"), encoding="utf-8") as fh:
    CASES = json.load(fh)
day = date.fromisoformat
DIRECTIONS = {int(k): v for k, v in CASES["activity_directions"].items()}


def _python_idle(case):
    entries = [dict(e, day=day(e["day"])) for e in CASES["entries"]]
    got = attendance.idle(CASES["resident_ids"], entries, day(case["today"]), DIRECTIONS, case["days"])
    return [{"resident_id": r["resident_id"], "last_day": r["last_day"] and r["last_day"].isoformat()} for r in got]


def test_the_cases_say_what_a_person_reads_in_them():
    """A few expectations written by hand, so the file is not merely what the code happened to give."""
    by_name = {c["name"]: c["expected"] for c in CASES["occurrence_cases"]}
    two_weeks = by_name["two weeks, whole home"]
    cancelled = [(o["date"], o["session_id"]) for o in two_weeks if o["cancelled"]]
    assert cancelled == [("2026-11-18", 4), ("2026-11-23", 1)]
    moved = next(o for o in two_weeks if o["changed"])
    assert (moved["date"], moved["start_time"], moved["original_start_time"], moved["place"]) == (
        "2026-11-19", "16:00", "15:00", "Сад")
    assert all(o["session_id"] != 4 for o in by_name["unit 1 only"])  # unit 2's session
    assert [o["session_id"] for o in by_name["one day"]] == [2]
    assert next(o for o in two_weeks if o["session_id"] == 5)["end_time"] == "24:00"  # clipped to the day
    idle = {c["name"]: c["expected"] for c in CASES["idle_cases"]}
    assert [r["resident_id"] for r in idle["seven days to the 25th"]] == [2, 3, 4, 5, 7, 8, 9]
    # resident 9 took part in a massage (medical) and a talk with the psychologist only: not social occupation
    nine = [e for e in CASES["entries"] if e["resident_id"] == 9]
    assert {DIRECTIONS[e["values"]["activity_id"]] for e in nine} == {"medical", "psychological"}
    assert all(e["status"] in ("active", "passive") for e in nine)


@pytest.mark.parametrize("case", CASES["occurrence_cases"], ids=lambda c: c["name"])
def test_python_occurrences(case):
    got = activity_schedule.occurrences(CASES["sessions"], CASES["changes"], day(case["start"]), day(case["end"]),
                                        unit_id=case["unit_id"])
    assert got == case["expected"]


def test_python_programme_and_idle():
    assert [activity_schedule.programme_applies(c["item"], day(c["day"])) for c in CASES["programme_cases"]] == [
        c["expected"] for c in CASES["programme_cases"]]
    assert [_python_idle(c) for c in CASES["idle_cases"]] == [c["expected"] for c in CASES["idle_cases"]]


def test_the_tablet_gives_the_same_results():
    got = run_node("run_activity_cases.mjs")
    assert got["occurrences"] == [c["expected"] for c in CASES["occurrence_cases"]]
    assert got["programme"] == [c["expected"] for c in CASES["programme_cases"]]
    assert got["idle"] == [c["expected"] for c in CASES["idle_cases"]]


def test_one_list_of_social_occupation_on_both_sides():
    """The engagement figure and the seven-day flag (server and tablet) count the same directions."""
    got = run_node("run_activity_cases.mjs")
    assert got["social_occupation"] == list(attendance.SOCIAL_OCCUPATION)
    assert set(attendance.SOCIAL_OCCUPATION) < set(activity_schedule.DIRECTIONS)
    assert not {"medical", "psychological"} & set(attendance.SOCIAL_OCCUPATION)
