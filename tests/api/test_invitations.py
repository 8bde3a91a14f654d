"""Invitation codes (issue 5 §3): staff issue a code for a resident, a relative redeems it into an account linked
to that resident (or links one more resident to the account they are signed in with); codes expire, are used once
and can be withdrawn, and every code that opens nothing answers the same; guessing is held like sign-in guessing."""
from datetime import timedelta

import pytest

from backend.demo.home import demo_invitations
from backend.domain import invitations as rules
from backend.extensions import db
from backend.models import Invitation, RelativeLink, Resident, Unit, User
from backend.services import invitations as invitation_service

from .test_audit_chain import events, verify
from ..conftest import LOGINS

ISSUERS = (LOGINS.supervisor1, LOGINS.planner1, LOGINS.activities1, LOGINS.admin1)
NEW = {"username": "maria.petrova", "password": "garden-walk-7", "full_name": "Мария Петрова", "locale": "zh_Hans"}


def staff(make_api, username=LOGINS.supervisor1):
    client = make_api()
    client.login(username)
    return client


def issue(client, resident_id, **extra):
    status, body = client.post("/api/invitations", {"resident_id": resident_id, **extra})
    assert status == 201, body
    return body


def redeem(make_api, code, **fields):
    client = make_api()
    status, body = client.post("/api/invitations/redeem", {"code": code, **NEW, **fields})
    return client, status, body


def links(app, user_id):
    with app.app_context():
        found = sorted(r for (r,) in db.session.query(RelativeLink.resident_id).filter_by(user_id=user_id))
        db.session.remove()
    return found


# --- the code ------------------------------------------------------------------------------------

def test_codes_are_fifty_bits_typed_loosely():
    code = rules.new_code()
    assert len(code) == 10 and set(code) <= set(rules.ALPHABET) and len(rules.ALPHABET) == 32  # 50 bits
    assert not set("01IO") & set(rules.ALPHABET)
    shown = rules.display(code)
    assert shown == code[:5] + "-" + code[5:]
    for typed in (shown, shown.lower(), " " + code[:5] + " " + code[5:] + " ",
                  "".join(chr(ord(c) + 0xFEE0) for c in code)):  # full-width, as a Chinese keyboard may type
        assert rules.normalise(typed) == code, typed
    for bad in ("", code[:9], code + "A", code[:9] + "0", code[:9] + "I", None, 12):
        assert rules.normalise(bad) is None


def test_new_account_rules():
    assert rules.account_problems("maria", "long enough", "Мария") == {}
    assert rules.account_problems("мария_п", "long enough", "Мария") == {}  # any script
    problems = rules.account_problems("a b", "short", " ")
    assert set(problems) == {"username", "password", "full_name"}
    assert set(rules.account_problems("secretname", "secretname", "X")) == {"password"}
    assert set(rules.account_problems("ok_name", "x" * 129, "X")) == {"password"}


# --- staff ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ISSUERS)
def test_staff_issue_a_code_shown_once_and_list_it_without_the_code(demo, world, make_api, username):
    client = staff(make_api, username)
    issued = issue(client, world.r1)
    assert issued["status"] == "open" and rules.normalise(issued["code"])
    assert issued["expires_at"].startswith("2026-12-09")  # 14 days from the clock
    status, listed = client.get(f"/api/invitations?resident_id={world.r1}")
    assert status == 200 and [i["id"] for i in listed] == [issued["id"]]
    assert "code" not in listed[0] and listed[0]["status"] == "open"
    with demo.app_context():
        stored = db.session.get(Invitation, issued["id"])
        assert stored.code_hash == rules.code_hash(rules.normalise(issued["code"]))
        db.session.remove()
    status, residents = client.get("/api/invitations/residents")
    assert status == 200
    mine = next(r for r in residents if r["id"] == world.r1)
    assert mine["open_invitations"] == 1 and mine["relatives"] == 1  # relative1
    assert set(mine) == {"id", "full_name", "unit_id", "unit_name", "open_invitations", "relatives"}


def test_expiry_can_be_chosen_within_thirty_days(demo, world, make_api):
    client = staff(make_api)
    assert issue(client, world.r1, days=3)["expires_at"].startswith("2026-11-28")
    for days in (0, 31, "x"):
        status, body = client.post("/api/invitations", {"resident_id": world.r1, "days": days})
        assert status == 400 and "days" in body["fields"]


def test_nurses_and_relatives_may_not_issue(demo, world, make_api):
    for username in (LOGINS.nurse1, LOGINS.relative1):
        client = staff(make_api, username)
        assert client.post("/api/invitations", {"resident_id": world.r1})[0] == 403
        assert client.get(f"/api/invitations?resident_id={world.r1}")[0] == 403


def test_staff_of_another_unit_cannot_reach_a_resident_or_code(demo, world, make_api):
    with demo.app_context():
        home_id = db.session.get(User, world.nurse1).home_id
        db.session.add(User(username="act_u2", password_hash=db.session.get(User, world.nurse1).password_hash,
                            full_name="Unit 2 activities", role="activities", home_id=home_id,
                            units=[db.session.get(Unit, world.unit2)]))
        db.session.commit()
        db.session.remove()
    issued = issue(staff(make_api), world.r1)
    other = staff(make_api, "act_u2")
    assert other.post("/api/invitations", {"resident_id": world.r1})[0] == 404
    assert other.get(f"/api/invitations?resident_id={world.r1}")[0] == 404
    assert other.post(f"/api/invitations/{issued['id']}/withdraw")[0] == 404
    assert {r["unit_id"] for r in other.get("/api/invitations/residents")[1]} == {world.unit2}


# --- redeeming -----------------------------------------------------------------------------------

def test_a_relative_redeems_a_code_into_an_account_and_signs_in(demo, world, make_api):
    code = issue(staff(make_api), world.r2)["code"]
    client, status, body = redeem(make_api, code.lower().replace("-", " "))
    assert status == 200, body
    assert body["new_account"] is True and body["resident"]["id"] == world.r2
    assert set(body["resident"]) == {"id", "full_name", "unit_name", "home_name"}
    assert body["user"]["username"] == "maria.petrova" and body["user"]["locale"] == "zh_Hans"
    me = client.login("maria.petrova", NEW["password"])
    assert me["roles"] == ["relative"] and me["unit_ids"] == [] and me["locale"] == "zh_Hans"
    assert [r["id"] for r in client.get("/api/family/residents")[1]] == [world.r2]
    status, listed = staff(make_api).get(f"/api/invitations?resident_id={world.r2}")
    assert listed[0]["status"] == "used" and listed[0]["used_by_name"] == "Мария Петрова"
    [redeemed] = events(demo, action="invitation_redeem")
    assert redeemed["detail"] == {"resident_id": world.r2, "new_account": True}
    assert code not in str(events(demo)) and rules.normalise(code) not in str(events(demo))
    assert verify(demo)[0] == 0


def test_one_account_links_several_residents(demo, world, make_api):
    desk = staff(make_api)
    first, second = issue(desk, world.r1)["code"], issue(desk, world.r2)["code"]
    client, status, body = redeem(make_api, first)
    assert status == 200
    client.login(NEW["username"], NEW["password"])
    status, body = client.post("/api/invitations/redeem", {"code": second})
    assert status == 200 and body["new_account"] is False and body["resident"]["id"] == world.r2
    assert links(demo, body["user"]["id"]) == sorted([world.r1, world.r2])
    assert sorted(r["id"] for r in client.get("/api/family/residents")[1]) == sorted([world.r1, world.r2])
    third = issue(desk, world.r2)["code"]
    status, body = client.post("/api/invitations/redeem", {"code": third})
    assert (status, body["error"]) == (409, "already_linked")  # and the code stays open
    assert staff(make_api).get(f"/api/invitations?resident_id={world.r2}")[1][0]["status"] == "open"


def test_staff_cannot_redeem(demo, world, make_api):
    code = issue(staff(make_api), world.r1)["code"]
    status, body = staff(make_api, LOGINS.nurse1).post("/api/invitations/redeem", {"code": code})
    assert (status, body["error"]) == (409, "not_a_relative")


def test_used_expired_withdrawn_and_unknown_codes_answer_alike(demo, world, make_api, clock):
    desk = staff(make_api)
    used = issue(desk, world.r1)["code"]
    assert redeem(make_api, used)[1] == 200
    expired = issue(desk, world.r1, days=1)["code"]
    withdrawn = issue(desk, world.r1)
    status, body = desk.post(f"/api/invitations/{withdrawn['id']}/withdraw")
    assert status == 200 and body["status"] == "withdrawn" and body["withdrawn_by_name"]
    assert desk.post(f"/api/invitations/{withdrawn['id']}/withdraw")[0] == 409
    clock.now += timedelta(days=1, seconds=1)
    answers = set()
    for case, code in {"used": used, "expired": expired, "withdrawn": withdrawn["code"],
                       "unknown": "ABCDE-FGHJK", "malformed": "hello"}.items():
        _, status, body = redeem(make_api, code, username=f"x_{case}")
        answers.add((status, body["error"], body["message"], tuple(sorted(body["fields"].items()))))
    assert len(answers) == 1 and next(iter(answers))[:2] == (400, "invalid_code")
    desk = staff(make_api)  # a day later: a new session
    listed = {i["id"]: i["status"] for i in desk.get(f"/api/invitations?resident_id={world.r1}")[1]}
    assert sorted(listed.values()) == ["expired", "used", "withdrawn"]
    assert len(events(demo, action="invitation_refused")) == 5
    with demo.app_context():
        assert User.query.filter(User.username.like("x_%")).count() == 0
        db.session.remove()


def test_guessing_is_held_after_ten_wrong_codes(demo, world, make_api, clock):
    code = issue(staff(make_api), world.r1)["code"]
    for i in range(invitation_service.MAX_FAILURES):
        assert redeem(make_api, f"ABCDE-{'FGHJK'[:4]}{rules.ALPHABET[i]}")[1] == 400
    _, status, body = redeem(make_api, code)  # even the right code, until the window passes
    assert (status, body["error"]) == (429, "too_many_attempts")
    assert events(demo, action="invitation_throttled")
    clock.now += timedelta(minutes=16)
    assert redeem(make_api, code)[1] == 200


def test_account_fields_are_checked_and_do_not_use_the_code(demo, world, make_api):
    code = issue(staff(make_api), world.r1)["code"]
    _, status, body = redeem(make_api, code, username=LOGINS.nurse1)
    assert status == 400 and set(body["fields"]) == {"username"}
    _, status, body = redeem(make_api, code, password="short", full_name="")
    assert status == 400 and set(body["fields"]) == {"password", "full_name"}
    _, status, body = redeem(make_api, code, username=None, password=None, full_name=None)
    assert status == 400 and set(body["fields"]) == {"username", "password", "full_name"}
    assert redeem(make_api, code)[1] == 200  # still open after those


def test_the_demo_leaves_one_open_code_for_the_second_resident(demo, world, make_api, clock):
    with demo.app_context():
        residents = [db.session.get(Resident, rid) for rid in world.residents[world.unit1]]
        shown = demo_invitations(db.session, residents, db.session.get(User, world.supervisor), clock())
        db.session.commit()
        db.session.remove()
    assert rules.normalise(shown)
    _, status, body = redeem(make_api, shown)
    assert status == 200 and body["resident"]["id"] == world.residents[world.unit1][1]
