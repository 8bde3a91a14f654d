"""The tablet decides what a person may record from the same role lists and rule as the server
(backend/domain/roles.py, frontend/lib/roles.js): every list the tablet keeps, and may_record for every person of one
or two roles and every kind of entry, agree. What she may see and pull the tablet keeps no list for: the server
tells it (`can`, roles.CAPABILITIES), and the tablet's `allows` reads just that."""
import itertools
import json

from backend.domain import roles

from ..helpers import run_node

#: The lists the tablet keeps (every array frontend/lib/roles.js exports), by their name in roles.py.
LISTS = {"RECORDERS": "RECORDERS", "ASSESSORS": "ASSESSORS", "SURVEY_FORMS": "SURVEY_FORMS",
         "SURVEYORS": "SURVEYORS", "ATTENDANCE_RECORDERS": "ATTENDANCE_RECORDERS",
         # lib/sync.js decides pulls by roles (works for a person stored before capabilities existed)
         "POST_PULLERS": "POST_PULLERS"}
KINDS = [("tick", None), ("vitals", None), ("note", None), ("condition", None), ("attendance", None),
         ("assessment", "mmse"), ("assessment", "satisfaction_resident"), ("visit", None)]
PEOPLE = [[r] for r in roles.STAFF] + [list(pair) for pair in itertools.permutations(roles.STAFF, 2)]
CASES = [[held, kind, category] for held in PEOPLE for kind, category in KINDS]
PLANNER = {"role": "planner", "roles": ["planner"], "can": roles.capabilities("planner")}
CAN_CASES = [[PLANNER, "plan_care"], [PLANNER, "review_days"], [PLANNER, "nonsense"],
             # stored by an older app: no `can` until the server sends her details again
             [{"role": "supervisor", "roles": ["supervisor"]}, "review_days"], [None, "plan_care"]]


def test_the_tablet_and_the_server_agree_on_roles(monkeypatch):
    monkeypatch.setenv("ROLE_CASES", json.dumps(CASES))
    monkeypatch.setenv("CAN_CASES", json.dumps(CAN_CASES))
    got = run_node("run_roles.mjs")
    assert set(got["lists"]) == set(LISTS), "a list the tablet keeps must be checked here (or served as `can`)"
    for js_name, py_name in LISTS.items():
        assert got["lists"][js_name] == list(getattr(roles, py_name)), js_name
    expected = [roles.may_record(held, kind, category) for held, kind, category in CASES]
    assert got["decisions"] == expected
    assert got["allowed"] == [True, False, False, False, False]
    # the cases are worth having: a person of two roles may do what neither alone may
    assert roles.may_record(["planner", "activities"], "assessment", "mmse")
    assert roles.may_record(["activities", "nurse"], "tick") and not roles.may_record(["activities"], "tick")
    assert not roles.may_record(["planner", "admin"], "vitals")
    # a home visit is the carer's (a nurse of a community unit) or the station head's, as the bedside entries
    assert [r for r in roles.STAFF if roles.may_record(r, "visit")] == list(roles.RECORDERS)


def test_capabilities_follow_the_roles_that_allow_them():
    """The entry capabilities are may_record's sets; the tablet's screens ask for these names (lib/session.js can)."""
    assert roles.CAPABILITIES["record_bedside"] == roles.RECORDERS
    assert roles.CAPABILITIES["record_attendance"] == roles.ATTENDANCE_RECORDERS
    assert roles.CAPABILITIES["sign_entries"] == roles.AUTHORS
    either = set(roles.capabilities("activities")) | set(roles.capabilities("nurse"))
    assert roles.capabilities(["activities", "nurse"]) == [name for name in roles.CAPABILITIES if name in either]
    assert roles.capabilities(None) == []
