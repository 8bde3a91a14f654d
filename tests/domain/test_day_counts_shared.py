"""A resident's day counts the same on the tablet and on the server: done, not done, missed (overdue), due, upcoming,
away and late, each cell once by its latest standing entry (a Not done correcting a Done counts once, as not done).
The cases (tests/fixtures/day_counts_cases.json) are written by hand; the server's side is the supervisor's day view's
count (backend/domain/days.py day_of_resident, counted by state as backend/services/supervision.py does), the
tablet's the resident's day model (frontend/lib/day.js, which the post and resident screens draw), read whole and
with its last entries just recorded. The out-of-range flags a vital-signs entry shows before the server answers are
the tablet's rules (frontend/lib/vitals.js) and equal the server's (backend/domain/vitals.py)."""
import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backend.domain import days, vitals

from ..helpers import run_node

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "fixtures" / "day_counts_cases.json").read_text(encoding="utf-8"))
DAY = date.fromisoformat(CASES["day"])
#: the states the supervisor's day view counts (backend/services/supervision.py day_view), then late
STATES = ("done", "not_done", "missing", "due", "upcoming", "away")


def _local(hhmm):
    return datetime.fromisoformat(f"{CASES['day']}T{hhmm}")


def server_counts(case):
    """The supervisor's day view's counts for the case (day_view: day_of_resident, then count by state and late)."""
    items = [{"days_of_week": None, "valid_from": None, "valid_to": None, **i} for i in CASES["items"]]
    tz = ZoneInfo(CASES["tz"])
    entries = [{"supersedes": None, "reason": None, **{k: v for k, v in e.items() if k != "time"},
                # as the day view reads them: the home's wall clock (services/sync.py local_dicts)
                "device_time": _local(e["time"]).replace(tzinfo=tz).astimezone(tz).replace(tzinfo=None)}
               for e in case["entries"]]
    state = days.day_of_resident(7, items, entries, DAY, _local(case["now"]), CASES["grace_minutes"],
                                 away=[tuple(w) for w in case.get("away", [])])
    return {k: state.count(k) for k in STATES} | {"late": sum(1 for c in state.cells if c.late)}


@pytest.fixture(scope="module")
def js():
    return run_node("run_day.mjs")


def test_the_day_view_counts_the_states_checked_here():
    source = (ROOT / "backend" / "services" / "supervision.py").read_text(encoding="utf-8")
    counted = re.search(r'"counts": \{k: state\.count\(k\) for k in \(([^)]*)\)\}', source)
    assert counted, "the day view's counts moved: check them here"
    assert tuple(s.strip().strip('"') for s in counted.group(1).split(",")) == STATES


@pytest.mark.parametrize("index", range(len(CASES["cases"])), ids=[c["name"] for c in CASES["cases"]])
def test_the_server_counts_the_cases(index):
    case = CASES["cases"][index]
    assert server_counts(case) == case["counts"]


@pytest.mark.parametrize("index", range(len(CASES["cases"])), ids=[c["name"] for c in CASES["cases"]])
def test_the_tablet_counts_the_cases(js, index):
    case, got = CASES["cases"][index], js["cases"][index]
    assert got["counts"] == case["counts"]
    # the same numbers the moment a tap's entry is stored (added to the day as read), before anything is read again
    assert got["recorded"] == case["counts"] and got["sameRows"]
    assert got["otherResident"] is None  # another resident's entry leaves her day as it is


def test_the_tablet_counts_the_states_the_server_counts(js):
    assert tuple(js["states"]) == STATES


def test_the_model_rows_open_cells_and_records(js):
    first, late = js["cases"][0], js["cases"][2]
    assert first["open"] == ["2|shift:day", "4|09:00"]  # due or overdue with nothing recorded
    assert first["rows"][-1] == "asneeded-3" and len(first["rows"]) == 6
    assert late["records"] == ["c4"]  # the note; ticks are rows, not records


def test_vital_flags_before_and_after_the_server_answers(js):
    definition = vitals.load_definition()
    for case, got in zip(CASES["flags"], js["flags"]):
        _errors, server = vitals.check(case["values"], definition)
        assert server == case["flags"] == got["local"]  # saved offline: the tablet's rules, equal to the server's
        assert got["server"] == {"pulse": "low"}  # synced: what the server answered
