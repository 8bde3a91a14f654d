"""Follow-up calls (回访) with the home-care satisfaction questionnaire (issue 18, section 3): a call that reached
someone keeps the questionnaire's answers, checked and scored by the server (frontend/forms/satisfaction_homecare.json
through domain/forms.py); bad answers are refused naming `answers.<question id>`, an unreachable call with answers is
refused naming `answers`; the week's follow-ups show each call's score and band; the inspector's month gives the
share of the month's questionnaires satisfied (a visit's latest) against the 95 % target.

The region is tests/api/test_region.py's: provider one's November has v1, v2 and v4 finished (v3 cancelled, v5 not
started), with calls made without a questionnaire (v1 confirmed, v4 not confirmed after an unreachable one)."""
from backend.extensions import db
from backend.models import AuditEvent, FollowUpCall

from .conftest import login_as
from .test_region import MONTH, region  # noqa: F401 -- the fixture

WEEK = "2026-11-09"  # the Monday of v1 (10th), v2 (11th) and v4 (13th)
QUESTIONS = ("punctual", "as_agreed", "manner", "clean_safe", "listened", "overall")


def answers(*values):
    return dict(zip(QUESTIONS, values))


ALL_SATISFIED = answers(*["satisfied"] * 6)
# 2 + 2 + 1 + 1 + 1 + 1 = 8 of 12: partly satisfied
MOSTLY_PARTLY = answers("satisfied", "satisfied", "partly", "partly", "partly", "partly")


def follow_ups(client, station):
    status, reply = client.get(f"/api/visits/follow-ups?unit_id={station}&week_start={WEEK}")
    assert status == 200, reply
    return {v["id"]: v for v in reply["visits"]}


def test_a_call_keeps_the_questionnaire_scored_by_the_server(app, region, make_api):  # noqa: F811
    head = login_as(make_api, "head-1")
    v1, v2, v4 = (region.visits[k] for k in ("v1", "v2", "v4"))
    station = region.stations["one"]
    before = follow_ups(head, station)
    assert before[v1]["result"] == "confirmed" and before[v1]["score"] is None  # the fixture's call asked nothing

    status, call = head.post(f"/api/visits/{v1}/follow-up", {"result": "confirmed", "note": "her daughter answered",
                                                             "answers": ALL_SATISFIED})
    assert status == 201, call
    assert call["answers"] == ALL_SATISFIED and call["form_id"] == "satisfaction_homecare"
    assert call["score"] == {"total": 12, "subscores": {}, "band": "satisfied", "complete": True, "version": 1}
    assert call["called_at"].endswith("+08:00")
    # she did not confirm the visit, yet answered: the questionnaire is kept with what she said
    status, call = head.post(f"/api/visits/{v2}/follow-up", {"result": "not_confirmed", "answers": MOSTLY_PARTLY})
    assert status == 201, call
    assert (call["score"]["total"], call["score"]["band"]) == (8, "partly")

    # refusals name the field; nothing is stored
    status, reply = head.post(f"/api/visits/{v4}/follow-up", {"result": "unreachable", "answers": ALL_SATISFIED})
    assert status == 400 and list(reply["fields"]) == ["answers"], reply
    status, reply = head.post(f"/api/visits/{v4}/follow-up",
                              {"result": "confirmed", "answers": dict(ALL_SATISFIED, punctual="late")})
    assert status == 400 and reply["fields"] == {"answers.punctual": "not one of the choices"}, reply
    unfinished = {k: v for k, v in ALL_SATISFIED.items() if k != "overall"}
    status, reply = head.post(f"/api/visits/{v4}/follow-up", {"result": "confirmed", "answers": unfinished})
    assert status == 400 and reply["fields"] == {"answers.overall": "an answer is required"}, reply
    status, reply = head.post(f"/api/visits/{v4}/follow-up",
                              {"result": "confirmed", "answers": dict(ALL_SATISFIED, comment="fine", manner=2)})
    assert status == 400 and set(reply["fields"]) == {"answers.comment", "answers.manner"}, reply
    status, reply = head.post(f"/api/visits/{v4}/follow-up", {"result": "confirmed", "answers": ["satisfied"]})
    assert status == 400 and "answers" in reply["fields"], reply
    # a visit not finished is refused as before, beside the questionnaire's problem
    status, reply = head.post(f"/api/visits/{region.visits['v5']}/follow-up",
                              {"result": "unreachable", "answers": ALL_SATISFIED})
    assert status == 400 and set(reply["fields"]) == {"answers", "visit_id"}, reply
    # without answers a call is kept as before (an unreachable one always is)
    status, call = head.post(f"/api/visits/{v4}/follow-up", {"result": "unreachable"})
    assert status == 201 and call["answers"] is None and call["score"] is None and call["form_id"] is None

    listed = follow_ups(head, station)
    assert listed[v1]["score"]["band"] == "satisfied" and listed[v1]["calls"][-1]["score"]["total"] == 12
    assert listed[v1]["calls"][0]["score"] is None  # the earlier call keeps what it had: nothing
    assert listed[v2]["result"] == "not_confirmed" and listed[v2]["score"]["band"] == "partly"
    assert listed[v4]["result"] == "unreachable" and listed[v4]["score"] is None

    with app.app_context():
        stored = FollowUpCall.query.filter_by(visit_id=v1).order_by(FollowUpCall.id).all()
        assert [c.score and c.score["band"] for c in stored] == [None, "satisfied"]
        assert stored[-1].answers == ALL_SATISFIED
        assert FollowUpCall.query.count() == 3 + 3
        audit = [e.detail for e in AuditEvent.query.filter_by(action="follow_up_call").order_by(AuditEvent.id)]
        assert [d["band"] for d in audit] == ["satisfied", "partly", None]
        db.session.remove()


def test_the_inspectors_month_gives_satisfaction_against_the_target(region, make_api):  # noqa: F811
    head = login_as(make_api, "head-1")
    inspector = login_as(make_api, "inspector-a")
    v1, v2, v4 = (region.visits[k] for k in ("v1", "v2", "v4"))

    def satisfaction():
        status, month = inspector.get(f"/api/region/month?month={MONTH}")
        assert status == 200, month
        one, two = month["providers"]
        assert two["satisfaction"]["available"] is False  # provider two recorded none
        return one["satisfaction"], month["total"]["satisfaction"], one["follow_up"]

    assert head.post(f"/api/visits/{v1}/follow-up", {"result": "confirmed", "answers": ALL_SATISFIED})[0] == 201
    assert head.post(f"/api/visits/{v2}/follow-up", {"result": "confirmed", "answers": MOSTLY_PARTLY})[0] == 201
    one, total, calls = satisfaction()
    assert one == {"n": 2, "satisfied": 1, "share": 0.5, "target": 0.95, "met": False, "available": True,
                   "reason": None}
    assert total == one
    assert (calls["made"], calls["confirmed"], calls["not_confirmed"]) == (3, 2, 1)  # v4's call had none

    # a later call that reached nobody does not undo v1's questionnaire; v2's latest questionnaire counts
    assert head.post(f"/api/visits/{v1}/follow-up", {"result": "unreachable"})[0] == 201
    assert head.post(f"/api/visits/{v2}/follow-up", {"result": "confirmed", "answers": ALL_SATISFIED})[0] == 201
    # v4: one "not satisfied" with the rest satisfied is 10 of 12, still satisfied
    v4_answers = dict(ALL_SATISFIED, punctual="not_satisfied")
    assert head.post(f"/api/visits/{v4}/follow-up", {"result": "confirmed", "answers": v4_answers})[0] == 201
    one, total, calls = satisfaction()
    assert (one["n"], one["satisfied"], one["share"], one["met"]) == (3, 3, 1.0, True)
    assert total["share"] == 1.0 and total["met"] is True
    assert (calls["made"], calls["unreachable"], calls["confirmed"]) == (3, 1, 2)

