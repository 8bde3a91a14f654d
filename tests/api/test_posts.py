"""Staff posts («должность», issue 17 finding 3): every member of staff has a post and the roles it brings; the daily
control of the cards is open to the posts 004 §3.2 names; the post is recorded on every entry, care-group decision
and day confirmation, and printed where the sources print it (the care card's legend and confirmations, the
assessment's author)."""
import pytest

from backend.domain import care_groups as group_rules
from backend.extensions import db
from backend.models import AuditEvent, CareGroupDecision, DayConfirmation, Entry, User

from ..helpers import entry as make_entry
from .conftest import DAY, login_as, push
from .test_archive_print import closed_card, pdf_text
from ..conftest import LOGINS

NEW_PASSWORD = "сирень под окном у реки"


@pytest.fixture
def admin(demo, make_api):
    client = make_api()
    client.login(LOGINS.admin1, device_id="office")
    return client


def _create(admin, world, **fields):
    status, reply = admin.post("/api/staff", {"username": "new.one", "full_name": "Анна Рыбкина",
                                              "unit_ids": [world.unit1], **fields})
    assert status == 201, reply
    return reply


def _signed_in(make_api, reply, device_id):
    """A client of the new account, her own password chosen."""
    client = make_api()
    client.login(reply["account"]["username"], reply["temporary_password"], device_id=device_id)
    status, body = client.post("/api/auth/password", {"current_password": reply["temporary_password"],
                                                      "new_password": NEW_PASSWORD, "device_id": device_id})
    assert status == 200, body
    client.login(reply["account"]["username"], NEW_PASSWORD, device_id=device_id)
    return client


def test_the_post_is_validated_and_brings_its_roles(admin, world, demo):
    status, body = admin.post("/api/staff", {"username": "x1", "full_name": "X", "post": "king"})
    assert status == 400 and set(body["fields"]) == {"post"}
    status, body = admin.post("/api/staff", {"username": "x1", "full_name": "X"})  # neither post nor roles
    assert status == 400 and set(body["fields"]) == {"roles"}
    # the post alone: her roles are the post's
    account = _create(admin, world, post="social_rehabilitation_specialist")["account"]
    assert account["post"] == "social_rehabilitation_specialist" and account["roles"] == ["planner", "supervisor"]
    # roles sent with the post are hers as sent (the screen fills them from the post; they stay editable)
    other = _create(admin, world, username="new.two", post="feldsher", roles=["supervisor", "nurse"])["account"]
    assert other["post"] == "feldsher" and other["roles"] == ["supervisor", "nurse"]
    # a change of post is recorded; her roles stay as they are unless sent
    status, changed = admin.patch(f"/api/staff/{other['id']}", {"post": "head_of_unit"})
    assert status == 200 and changed["post"] == "head_of_unit" and changed["roles"] == ["supervisor", "nurse"]
    status, body = admin.patch(f"/api/staff/{other['id']}", {"post": "director"})
    assert status == 400 and set(body["fields"]) == {"post"}
    with demo.app_context():
        detail = AuditEvent.query.filter_by(action="staff_change", object_id=str(other["id"])).one().detail
        assert detail["post"] == ["feldsher", "head_of_unit"]
    listed = {a["username"]: a for a in admin.get("/api/staff")[1]}
    assert listed["new.two"]["post"] == "head_of_unit"
    assert listed[LOGINS.specialist1]["post"] == "social_rehabilitation_specialist"  # the demo's
    # the staff screen learns each post's roles from the server
    posts = {p["code"]: p["roles"] for p in admin.get("/api/organisation")[1]["staff_posts"]}
    assert posts["physician"] == ["planner"] and posts["sitter"] == ["nurse"] and len(posts) == 15
    assert all(a["post"] in posts for a in listed.values())  # every member of the demo's staff has a post


def test_daily_control_is_open_to_a_social_rehabilitation_specialist_not_to_a_physician(admin, world, demo,
                                                                                       make_api):
    """004 §3.2: the daily control of the cards is the ward nurses', the social-rehabilitation specialists', the
    feldsher's and the head of unit's; §3.1: physicians compose the cards (and do not control their keeping)."""
    specialist = _signed_in(make_api, _create(admin, world, post="social_rehabilitation_specialist"), "tab-s")
    status, view = specialist.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert status == 200 and view["residents"]
    status, confirmation = specialist.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})
    assert status == 201, confirmation
    assert confirmation["confirmed_by_post"] == "social_rehabilitation_specialist"
    physician_reply = _create(admin, world, username="new.doctor", post="physician")
    assert physician_reply["account"]["roles"] == ["planner"]
    physician = _signed_in(make_api, physician_reply, "tab-d")
    assert physician.get(f"/api/units/{world.unit1}/days/{DAY}")[0] == 403
    assert physician.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})[0] == 403
    assert physician.get(f"/api/care-groups/board?unit_id={world.unit1}")[0] == 200  # she plans
    with demo.app_context():
        assert [c.confirmed_by_post for c in DayConfirmation.query.filter_by(
            confirmed_by=confirmation["confirmed_by"])] == ["social_rehabilitation_specialist"]


def test_each_entry_keeps_its_authors_post_when_it_reached_the_server(admin, world, demo, make_api):
    supervisor = login_as(make_api, LOGINS.supervisor1, "demo")
    first = make_entry(world.r1, world.supervisor, kind="note", note="проверила карту")
    assert push(supervisor, [first])[0]["status"] == "accepted"
    # she becomes head of unit: what she records from now on says so; what she recorded before keeps its post
    assert admin.patch(f"/api/staff/{world.supervisor}", {"post": "head_of_unit"})[0] == 200
    second = make_entry(world.r1, world.supervisor, kind="note", note="ещё раз")
    assert push(supervisor, [second])[0]["status"] == "accepted"
    with demo.app_context():
        assert db.session.get(Entry, first["id"]).author_post == "ward_nurse"
        assert db.session.get(Entry, second["id"]).author_post == "head_of_unit"
    # the day view names it beside the entry
    status, view = supervisor.get(f"/api/units/{world.unit1}/days/{DAY}")
    assert status == 200
    notes = {n["id"]: n for n in view["notes"]}
    assert notes[second["id"]]["author_post"] == "head_of_unit" and notes[first["id"]]["author_post"] == "ward_nurse"
    # a supervisor's amendment is hers, with her post
    status, amended = supervisor.post(f"/api/entries/{second['id']}/amend",
                                      {"reason": "опечатка", "note": "ещё раз, исправлено"})
    assert status == 201, amended
    assert amended["author_post"] == "head_of_unit"


def test_the_decision_and_the_assessment_keep_their_authors_post(world, demo, make_api):
    planner = login_as(make_api, LOGINS.planner1, "demo")  # the demo's physician
    assessment = make_entry(world.r1, world.users[LOGINS.planner1], kind="assessment", category="age_no_barrier",
                            values={"weight_loss": False, "vision_hearing": False, "falls": False, "mood": False,
                                    "memory": False, "incontinence": False, "moving": False})
    assert push(planner, [assessment])[0]["status"] == "accepted"
    status, listed = planner.get(f"/api/assessments?resident_id={world.r1}&form_id=age_no_barrier")
    assert status == 200, listed
    mine = next(a for a in listed if a["id"] == assessment["id"])
    assert mine["author_post"] == "physician" and mine["author_name"]  # «Ф.И.О., должность»
    status, body = planner.post("/api/care-groups", {"resident_id": world.r1, "group": 2, "decided_on": DAY,
                                                     "reason": "planned", "grounds": [group_rules.GROUNDS[2][0]]})
    assert status == 201, body
    with demo.app_context():
        newest = CareGroupDecision.query.filter_by(resident_id=world.r1).order_by(CareGroupDecision.id.desc()).first()
        assert newest.decided_by_post == "physician"


def test_the_printed_card_names_each_persons_post(small, make_api, clock, app):
    with app.app_context():
        for role, post in (("nurse", "junior_nurse"), ("supervisor", "ward_nurse"), ("planner", "physician")):
            db.session.query(User).filter_by(username=small.usernames[role]).update({"post": post})
        db.session.commit()
        db.session.remove()
    supervisor, card = closed_card(small, make_api, clock)
    response = supervisor.client.get(f"/api/archive/cards/{card}.pdf?lang=en", headers={"X-Bedside": "1"})
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    with app.app_context():
        nurse_name = db.session.get(User, small.nurse1).full_name
        supervisor_name = db.session.get(User, small.supervisor).full_name
    # the legend: «mark — name, post»; each confirmation: «name, post»; the assessment's author likewise
    assert f"{nurse_name}, Junior nurse" in text
    assert f"{supervisor_name}, Ward nurse" in text
    assert "Physician" in text
    status, sheet = supervisor.get(f"/api/archive/cards/{card}")
    assert status == 200, sheet
    assert {c["post"] for c in sheet["confirmations"]} == {"ward_nurse"}
    assert {s["name"]: s["posts"] for s in sheet["staff"]}[nurse_name] == ["junior_nurse"]
