"""The tablet decides what a person may record and which data it pulls from the same role lists and rule as the
server (backend/domain/roles.py, frontend/lib/roles.js): every list, and may_record for every person of one or two
roles and every kind of entry, agree."""
import itertools
import json

from backend.domain import roles

from ..helpers import run_node

LISTS = ("STAFF", "RECORDERS", "ASSESSORS", "SURVEY_FORMS", "SURVEYORS", "SIGNERS", "ATTENDANCE_RECORDERS",
         "AUTHORS")
KINDS = [("tick", None), ("vitals", None), ("note", None), ("condition", None), ("attendance", None),
         ("assessment", "mmse"), ("assessment", "satisfaction_resident")]
PEOPLE = [[r] for r in roles.STAFF] + [list(pair) for pair in itertools.permutations(roles.STAFF, 2)]
CASES = [[held, kind, category] for held in PEOPLE for kind, category in KINDS]


def test_the_tablet_and_the_server_agree_on_roles(monkeypatch):
    monkeypatch.setenv("ROLE_CASES", json.dumps(CASES))
    got = run_node("run_roles.mjs")
    for name in LISTS:
        assert got["lists"][name] == list(getattr(roles, name)), name
    expected = [roles.may_record(held, kind, category) for held, kind, category in CASES]
    assert got["decisions"] == expected
    # the cases are worth having: a person of two roles may do what neither alone may
    assert roles.may_record(["planner", "activities"], "assessment", "mmse")
    assert roles.may_record(["activities", "nurse"], "tick") and not roles.may_record(["activities"], "tick")
    assert not roles.may_record(["planner", "admin"], "vitals")
