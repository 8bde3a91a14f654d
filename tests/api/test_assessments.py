"""Assessments through the sync push (exactly once, the server's score) and the read API."""
from backend.extensions import db
from backend.models import AuditEvent, Entry, Unit, User
from backend.services import assessments as assessment_service
from backend.services import auth as auth_service

from ..helpers import entry as make_entry
from .conftest import DAY, push
from ..conftest import LOGINS

AGE = {"weight_loss": True, "vision_hearing": False, "falls": True, "mood": False, "memory": True,
       "incontinence": False, "moving": False}


def assessment(world, author, answers=None, form_id="age_no_barrier", **fields):
    fields.setdefault("device_time", f"{fields.get('day', DAY)}T11:00:00+07:00")
    return make_entry(fields.pop("resident_id", world.r1), author, kind="assessment", category=form_id,
                      values=dict(AGE) if answers is None else answers, **fields)


def planner(world):
    return world.users[LOGINS.planner1]


def test_a_planner_signs_in_with_a_key_pulls_her_post_and_pushes_an_assessment_once(demo, world, api):
    me = api.login(LOGINS.planner1)
    assert me["signing_key"], "a planner gets a signing key on a tablet"
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor=0&device_id=tab-1")
    assert status == 200 and world.r1 in [r["id"] for r in page["residents"]]
    a = assessment(world, planner(world), score={"total": 7, "band": "frailty"})  # the tablet's claim is ignored
    [first] = push(api, [a], post_id=world.post1)
    assert first["status"] == "accepted"
    assert first["score"] == {"total": 3, "subscores": {}, "band": "pre_frailty", "complete": True, "version": 1}
    [again] = push(api, [a], post_id=world.post1)
    assert again["status"] == "duplicate" and "score" not in again
    with demo.app_context():
        rows = Entry.query.filter_by(kind="assessment").all()
        assert [(r.id, r.category, r.score["total"], r.score["band"]) for r in rows] == [
            (a["id"], "age_no_barrier", 3, "pre_frailty")]
        latest = assessment_service.latest_assessments(world.r1)
        assert list(latest) == ["age_no_barrier"] and latest["age_no_barrier"].id == a["id"]
        db.session.remove()
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={page['cursor']}&device_id=tab-1")
    [pulled] = [e for e in page["entries"] if e["id"] == a["id"]]
    assert pulled["score"]["band"] == "pre_frailty" and pulled["values"] == AGE


def test_answers_that_do_not_fit_are_refused_naming_the_question(demo, world, api):
    api.login(LOGINS.planner1)
    unfinished = assessment(world, planner(world), {k: v for k, v in AGE.items() if k != "mood"})
    wrong = assessment(world, planner(world), dict(AGE, falls=3))
    unknown = assessment(world, planner(world), form_id="no_such_form")
    results = push(api, [unfinished, wrong, unknown])
    assert [(r["status"], r["reason"]) for r in results] == [("rejected", "invalid")] * 3
    assert results[0]["fields"] == {"values.mood": "an answer is required"}
    assert results[1]["fields"] == {"values.falls": "wrong type of answer"}
    assert list(results[2]["fields"]) == ["category"]
    with demo.app_context():
        assert Entry.query.filter_by(kind="assessment").count() == 0
        db.session.remove()


def test_the_refusal_is_in_the_readers_language(demo, world, api):
    api.login(LOGINS.planner1)
    api.patch("/api/auth/me", {"locale": "ru"})
    [r] = push(api, [assessment(world, planner(world), {k: v for k, v in AGE.items() if k != "mood"})])
    assert r["fields"]["values.mood"] and r["status"] == "rejected"


def test_a_nurse_may_not_push_an_assessment_and_a_planner_may_not_tick(demo, world, api, make_api):
    api.login(LOGINS.nurse1)
    [r] = push(api, [assessment(world, world.nurse1)])
    assert (r["status"], r["reason"], list(r["fields"])) == ("rejected", "not_permitted", ["kind"])
    other = make_api()
    other.login(LOGINS.planner1)
    tick = make_entry(world.r1, planner(world), item_id=world.toilet, slot="07:30")
    [r] = push(other, [tick])
    assert (r["status"], r["reason"]) == ("rejected", "not_permitted")
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    [r] = push(sup, [assessment(world, world.supervisor)])
    assert r["status"] == "accepted"


def test_a_correction_replaces_the_standing_assessment(demo, world, api):
    api.login(LOGINS.planner1)
    first = assessment(world, planner(world))
    fix = assessment(world, planner(world), dict(AGE, mood=True), supersedes=first["id"])
    pain = assessment(world, planner(world), {"intensity": 6, "location": "колено"}, form_id="pain_nrs")
    assert [r["status"] for r in push(api, [first, fix, pain])] == ["accepted"] * 3
    status, rows = api.get(f"/api/assessments?resident_id={world.r1}")
    assert status == 200
    assert {r["id"] for r in rows} == {fix["id"], pain["id"]}
    [age] = [r for r in rows if r["form_id"] == "age_no_barrier"]
    assert (age["score"]["total"], age["score"]["band"], age["author_name"], age["day"], age["supersedes"]) == (
        4, "pre_frailty", world.names.staff[LOGINS.planner1], DAY, first["id"])
    status, rows = api.get(f"/api/assessments?resident_id={world.r1}&form_id=pain_nrs")
    assert [r["id"] for r in rows] == [pain["id"]] and rows[0]["answers"] == {"intensity": 6, "location": "колено"}
    with demo.app_context():
        latest = assessment_service.latest_assessments(world.r1, ["age_no_barrier", "mmse"])
        assert {k: v.id for k, v in latest.items()} == {"age_no_barrier": fix["id"]}
        assert AuditEvent.query.filter_by(action="read", object_type="resident", object_id=str(world.r1)).count() == 2
        db.session.remove()


def test_newest_first(demo, world, api):
    api.login(LOGINS.planner1)
    old = assessment(world, planner(world), day="2026-11-20", device_time="2026-11-20T09:00:00+07:00")
    new = assessment(world, planner(world), dict(AGE, mood=True))
    push(api, [new, old])
    status, rows = api.get(f"/api/assessments?resident_id={world.r1}")
    assert [r["id"] for r in rows] == [new["id"], old["id"]]


def test_read_api_permissions(demo, world, api, make_api):
    with demo.app_context():
        planner2 = User(username="planner2", password_hash=auth_service.hash_password("demo"),
                            full_name="Planner of unit 2", role="planner", home_id=User.query.first().home_id,
                            units=[db.session.get(Unit, world.unit2)])
        db.session.add(planner2)
        db.session.commit()
        planner2_id = planner2.id
        db.session.remove()
    api.login("planner2")
    status, body = api.get(f"/api/assessments?resident_id={world.r1}")
    assert (status, body["error"]) == (404, "not_found")
    assert api.get(f"/api/assessments?resident_id={world.r2}")[0] == 200
    [r] = push(api, [assessment(world, planner2_id)])  # a resident of another unit
    assert (r["status"], r["reason"]) == ("rejected", "unknown_resident")
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert nurse.get(f"/api/assessments?resident_id={world.r1}")[0] == 403
    status, forms = nurse.get("/api/assessments/forms")
    assert status == 200 and {"mmse", "age_no_barrier", "adl_observation"} <= {f["id"] for f in forms}
    assert api.get("/api/assessments?resident_id=1&form_id=nope")[0] == 400


def test_a_supervisor_does_not_amend_an_assessment_she_fills_a_new_one(demo, world, api, make_api):
    api.login(LOGINS.planner1)
    a = assessment(world, planner(world))
    assert push(api, [a])[0]["status"] == "accepted"
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, body = sup.post(f"/api/entries/{a['id']}/amend", {"reason": "wrong answers", "note": "n"})
    assert (status, body["error"], list(body["fields"])) == (400, "validation_error", ["kind"])
