"""What a confirmation covers, on both sides: backend/domain/days.py and frontend/lib/schedule.js give the answers
of tests/fixtures/confirmation_cases.json (docs/domain.md, Confirmation); and which late arrivals it flags."""
import json
import os
from datetime import date, datetime

import pytest

from backend.domain import days

from ..helpers import ROOT, run_node

CASES = json.load(open(os.path.join(ROOT, "tests", "fixtures", "confirmation_cases.json"), encoding="utf-8"))["cases"]


def _confirmations(case):
    return [dict(c, day=date.fromisoformat(c["day"]), confirmed_at=datetime.fromisoformat(c["confirmed_at"]))
            for c in case["confirmations"]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_python_reads_each_case(case):
    until, whole = days.confirmed_until(_confirmations(case), case["unit_id"], case["resident_id"],
                                        date.fromisoformat(case["day"]), case["timezone"])
    assert (until and until.isoformat(), whole) == (case["until"], case["whole"])
    assert days.is_locked(_confirmations(case), case["unit_id"], case["resident_id"],
                          date.fromisoformat(case["day"]), case["timezone"]) is case["whole"]


def test_the_tablet_reads_each_case_alike():
    answers = run_node("run_confirmation.mjs")
    assert answers == [{"until": c["until"], "whole": c["whole"]} for c in CASES]


def test_what_is_late():
    """Recorded before an early confirmation and arriving after it: late. Recorded after it: not late (the slots
    ahead stay open). Anything for a day confirmed once it was over: late."""
    early = [{"unit_id": 1, "resident_id": None, "day": date(2026, 12, 5), "confirmed_at": datetime(2026, 12, 5, 7, 0)}]
    day, zone = date(2026, 12, 5), "Asia/Krasnoyarsk"  # 07:00 UTC is 14:00 there
    assert days.is_late(early, 1, 5, day, datetime(2026, 12, 5, 6, 30), zone)
    assert not days.is_late(early, 1, 5, day, datetime(2026, 12, 5, 7, 30), zone)
    assert not days.is_late(early, 2, 5, day, datetime(2026, 12, 5, 6, 30), zone)  # another unit's
    whole = [dict(early[0], confirmed_at=datetime(2026, 12, 6, 1, 0))]
    assert days.is_late(whole, 1, 5, day, datetime(2026, 12, 6, 2, 0), zone)
