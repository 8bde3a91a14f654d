"""Staff accounts run by the home's administrator (services/staff.py): a one-time password she must change first,
her own password change, reset of password and PIN, the sign-in hold, disable and enable; what tablets learn of it
at their next pull."""
from datetime import datetime

import pytest

from backend.extensions import db
from backend.models import AuditEvent, SigningKey, User

from ..helpers import entry as make_entry
from .conftest import DAY, push
from ..conftest import DEMO_PASSWORD, LOGINS

NEW = {"username": "  O.Zimina ", "full_name": "Ольга Зимина", "roles": ["nurse"], "locale": "ru"}


@pytest.fixture
def admin(demo, make_api):
    client = make_api()
    client.login(LOGINS.admin1, device_id="office")
    return client


def _create(admin, world, **fields):
    body = {**NEW, "unit_ids": [world.unit1], **fields}
    status, reply = admin.post("/api/staff", body)
    assert status == 201, reply
    return reply


def test_a_new_account_must_choose_her_own_password_before_anything_else(admin, world, make_api):
    reply = _create(admin, world)
    account, temporary = reply["account"], reply["temporary_password"]
    assert account["username"] == "o.zimina" and account["must_change_password"] is True
    assert [u["id"] for u in account["units"]] == [world.unit1] and account["roles"] == ["nurse"]
    nurse = make_api()
    first = nurse.login("o.zimina", temporary, device_id="tab-new")
    assert first["must_change_password"] is True
    assert first["signing_key"] is None  # no key under a one-time password
    status, body = nurse.get(f"/api/sync/pull?post_id={world.post1}")
    assert (status, body["error"]) == (403, "password_change_required")
    assert nurse.get("/api/auth/me")[0] == 200
    status, body = nurse.post("/api/auth/password", {"current_password": temporary, "new_password": "password1",
                                                     "device_id": "tab-new"})
    assert status == 400 and set(body["fields"]) == {"new_password"}
    status, body = nurse.post("/api/auth/password", {"current_password": temporary,
                                                     "new_password": "берёзовая роща у реки", "device_id": "tab-new"})
    assert status == 200, body
    assert body["must_change_password"] is False
    key = body["signing_key"]
    assert key["id"] and key["secret"] and key["issued_at"].endswith("+00:00")
    assert nurse.get(f"/api/sync/pull?post_id={world.post1}")[0] == 200
    # the one-time password opens nothing any more; the chosen one does
    assert nurse.post("/api/auth/login", {"username": "o.zimina", "password": temporary})[0] == 401
    assert make_api().login("o.zimina", "берёзовая роща у реки")["must_change_password"] is False


def test_the_temporary_password_never_reaches_the_audit_log(admin, world, demo):
    reply = _create(admin, world)
    status, reset = admin.post(f"/api/staff/{reply['account']['id']}/reset-password", {})
    assert status == 200
    with demo.app_context():
        text = " ".join(str(r.detail) for r in AuditEvent.query.all())
        actions = [r.action for r in AuditEvent.query.filter_by(object_id=str(reply["account"]["id"]))]
    assert reply["temporary_password"] not in text and reset["temporary_password"] not in text
    assert actions == ["staff_create", "staff_reset_password"]


def test_creation_errors_name_the_field(admin, world):
    assert admin.post("/api/staff", dict(NEW, roles=["nurse", "king"]))[1]["fields"].keys() == {"roles.1"}
    assert admin.post("/api/staff", dict(NEW, roles=["relative"]))[1]["fields"].keys() == {"roles.0"}
    assert admin.post("/api/staff", dict(NEW, roles=[]))[1]["fields"].keys() == {"roles"}
    assert admin.post("/api/staff", dict(NEW, roles="nurse"))[1]["fields"].keys() == {"roles"}
    status, body = admin.post("/api/staff", dict(NEW, roles=["nurse", "nurse"]))
    assert (status, body["fields"]) == (400, {"roles": "A role is listed twice."})
    assert admin.post("/api/staff", dict(NEW, username="two words"))[1]["fields"].keys() == {"username"}
    assert admin.post("/api/staff", dict(NEW, unit_ids=[999999]))[1]["fields"].keys() == {"unit_ids"}
    assert admin.post("/api/staff", dict(NEW, unit_ids=[world.unit1, "x"]))[1]["fields"].keys() == {"unit_ids.1"}
    assert admin.post("/api/staff", dict(NEW, username="NURSE1"))[1]["fields"] == {"username":
                                                                                   "This user name is taken."}
    status, body = admin.post("/api/staff", dict(NEW, full_name="x" * 201))
    assert status == 400 and "full_name" in body["fields"]


def test_only_administrators_manage_staff(demo, make_api, world):
    for username in (LOGINS.supervisor1, LOGINS.planner1, LOGINS.nurse1):
        client = make_api()
        client.login(username)
        assert client.get("/api/staff")[0] == 403
        assert client.post(f"/api/staff/{world.nurse2}/disable", {})[0] == 403


def test_an_administrator_of_another_home_cannot_reach_these_accounts(admin, demo, world, make_api):
    from backend.models import Home
    from backend.services import auth
    with demo.app_context():
        other = Home(name="Other", timezone="Europe/Moscow", locale="ru")
        db.session.add(other)
        db.session.flush()
        db.session.add(User(username="other.admin", full_name="Other", role="admin", home_id=other.id,
                            password_hash=auth.hash_password("demo")))
        db.session.commit()
    stranger = make_api()
    stranger.login("other.admin")
    assert [a["username"] for a in stranger.get("/api/staff")[1]] == ["other.admin"]
    assert stranger.post(f"/api/staff/{world.nurse1}/disable", {})[0] == 404
    assert stranger.patch(f"/api/staff/{world.nurse1}", {"roles": ["admin"]})[0] == 404


def test_disable_ends_her_sessions_and_keys_but_keeps_her_name_and_entries(admin, world, make_api, demo):
    nurse = make_api()
    nurse.login(LOGINS.nurse2, device_id="tab-2")
    before = make_entry(world.r2, world.nurse2, kind="note", note="before", device_id="tab-2")
    assert push(nurse, [before], device_id="tab-2")[0]["status"] == "accepted"
    status, account = admin.post(f"/api/staff/{world.nurse2}/disable", {})
    assert status == 200 and account["active"] is False
    assert nurse.get("/api/auth/me")[0] == 401  # her session ended on the server
    assert make_api().post("/api/auth/login", {"username": LOGINS.nurse2, "password": DEMO_PASSWORD})[0] == 401
    with demo.app_context():
        assert all(k.revoked_at is not None for k in SigningKey.query.filter_by(user_id=world.nurse2))
    # an entry she made offline before, pushed later by a colleague's session on that tablet, is still stored
    late = make_entry(world.r2, world.nurse2, kind="note", note="offline", device_id="tab-2")
    colleague = make_api()
    colleague.keyring.update(nurse.keyring)
    colleague.login(LOGINS.supervisor1, device_id="tab-2")
    assert push(colleague, [late], device_id="tab-2")[0]["status"] == "accepted"
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    status, day = supervisor.get(f"/api/units/{world.unit2}/days/{DAY}")
    assert status == 200
    with demo.app_context():
        name = db.session.get(User, world.nurse2).full_name
    assert day["names"][str(world.nurse2)] == name  # her past entries keep her name
    notes = {e["id"]: e for e in day["notes"]}
    assert notes[before["id"]]["author_id"] == world.nurse2
    # arrived after she was disabled (her key retired): stored, and listed for the supervisor's review
    assert late["id"] in {e["id"] for e in day["from_revoked_devices"]}
    # enabled again, she signs in with her password
    assert admin.post(f"/api/staff/{world.nurse2}/enable", {})[1]["active"] is True
    assert make_api().login(LOGINS.nurse2)["id"] == world.nurse2


def test_the_home_keeps_an_administrator(admin, world, demo):
    status, body = admin.post(f"/api/staff/{world.users[LOGINS.admin1]}/disable", {})
    assert (status, body["error"]) == (409, "own_account")
    status, body = admin.patch(f"/api/staff/{world.users[LOGINS.admin1]}", {"roles": ["nurse"]})
    assert (status, body["error"]) == (409, "last_administrator")
    # she may take a bedside role as her main one and stay the administrator
    status, body = admin.patch(f"/api/staff/{world.users[LOGINS.admin1]}", {"roles": ["supervisor", "admin"]})
    assert status == 200 and body["roles"] == ["supervisor", "admin"]
    assert admin.get("/api/staff")[0] == 200
    status, body = admin.post(f"/api/staff/{world.users[LOGINS.admin1]}/disable", {})
    assert (status, body["error"]) == (409, "own_account")


def test_reset_pin_reaches_the_tablets_at_their_next_pull(admin, world, make_api, clock):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    status, page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")
    cursor = page["cursor"]
    me = next(s for s in page["staff"] if s["id"] == world.nurse1)
    assert me["active"] is True and me["keys_valid_from"] is None
    clock.set("2026-11-25T11:00:00+07:00")
    assert admin.post(f"/api/staff/{world.nurse1}/reset-pin", {})[0] == 200
    other = make_api()
    other.login(LOGINS.nurse3)
    status, page = other.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}")
    assert status == 200, page
    me = next(s for s in page["staff"] if s["id"] == world.nurse1)
    assert datetime.fromisoformat(me["keys_valid_from"]) == datetime.fromisoformat("2026-11-25T11:00:00+07:00")
    # her old key's entries still verify (signed before), her session ended
    assert nurse.get("/api/auth/me")[0] == 401


def test_a_disabled_colleague_reaches_the_tablets_at_their_next_pull(admin, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    cursor = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")[1]["cursor"]
    admin.post(f"/api/staff/{world.users[LOGINS.nurse3]}/disable", {})
    page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}")[1]
    assert next(s for s in page["staff"] if s["id"] == world.users[LOGINS.nurse3])["active"] is False


def test_reset_password_ends_sessions_and_clears_the_hold(admin, world, make_api):
    victim = make_api()
    victim.login(LOGINS.nurse3)
    for _ in range(5):
        make_api().post("/api/auth/login", {"username": LOGINS.nurse3, "password": "wrong"})
    account = next(a for a in admin.get("/api/staff")[1] if a["username"] == LOGINS.nurse3)
    assert account["held"] is True
    status, reply = admin.post(f"/api/staff/{world.users[LOGINS.nurse3]}/reset-password", {})
    assert status == 200 and reply["account"]["held"] is False and reply["account"]["must_change_password"]
    assert victim.get("/api/auth/me")[0] == 401
    assert make_api().login(LOGINS.nurse3, reply["temporary_password"])["must_change_password"] is True


def test_clear_hold_lets_her_sign_in_again(admin, world, make_api):
    for _ in range(5):
        make_api().post("/api/auth/login", {"username": LOGINS.nurse3, "password": "wrong"})
    assert make_api().post("/api/auth/login", {"username": LOGINS.nurse3, "password": DEMO_PASSWORD})[0] == 429
    status, account = admin.post(f"/api/staff/{world.users[LOGINS.nurse3]}/clear-hold", {})
    assert status == 200 and account["held"] is False
    assert make_api().login(LOGINS.nurse3)["id"] == world.users[LOGINS.nurse3]


def test_change_of_role_unit_and_name(admin, world, demo):
    status, account = admin.patch(f"/api/staff/{world.nurse1}", {"roles": ["supervisor"], "unit_ids": [],
                                                                 "full_name": " Анна Ершова "})
    assert status == 200, account
    assert (account["roles"], account["units"], account["full_name"]) == (["supervisor"], [], "Анна Ершова")
    status, account = admin.patch(f"/api/staff/{world.nurse1}", {"roles": ["admin"]})
    assert account["role"] == "admin"
    with demo.app_context():  # an administrator signs no entries: her tablet keys are retired
        assert all(k.revoked_at is not None for k in SigningKey.query.filter_by(user_id=world.nurse1))


def test_everyone_changes_her_own_password_with_the_old_one(demo, make_api, world):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    other_session = make_api()
    other_session.login(LOGINS.nurse1, device_id="tab-2")
    status, body = nurse.post("/api/auth/password", {"current_password": "nope", "new_password": "a quiet garden"})
    assert status == 400 and set(body["fields"]) == {"current_password"}
    status, body = nurse.post("/api/auth/password", {"current_password": DEMO_PASSWORD,
                                                     "new_password": f"{LOGINS.nurse1} garden"})
    assert status == 400 and set(body["fields"]) == {"new_password"}  # built on her user name
    status, body = nurse.post("/api/auth/password", {"current_password": DEMO_PASSWORD,
                                                     "new_password": "a quiet garden"})
    assert status == 200, body
    assert nurse.get("/api/auth/me")[0] == 200  # this session goes on
    assert other_session.get("/api/auth/me")[0] == 401  # the others end
    assert make_api().login(LOGINS.nurse1, "a quiet garden")["id"] == world.nurse1


def test_wrong_current_passwords_count_as_failed_sign_ins(demo, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    for _ in range(5):
        assert nurse.post("/api/auth/password", {"current_password": "x", "new_password": "a quiet garden"})[0] == 400
    status, body = nurse.post("/api/auth/password", {"current_password": DEMO_PASSWORD,
                                                     "new_password": "a quiet garden"})
    assert (status, body["error"]) == (429, "too_many_attempts")


def test_messages_in_her_language(admin, world):
    admin.patch("/api/auth/me", {"locale": "ru"})
    status, body = admin.post("/api/staff", dict(NEW, unit_ids=[world.unit1], username=LOGINS.nurse1))
    assert status == 400 and body["fields"]["username"] != "This user name is taken."


def test_a_specialist_of_several_roles_and_units_may_do_what_each_allows(admin, world, make_api, demo):
    """A social-rehabilitation specialist composes cards and does their daily control (004 §3.1-3.2): her main
    role (planner) decides her first screen; the supervisor's routes open to her too, in both her units."""
    reply = _create(admin, world, username="spec", full_name="Анна Рыбкина", roles=["planner", "supervisor"],
                    unit_ids=[world.unit2, world.unit1, world.unit1])
    account = reply["account"]
    assert account["role"] == "planner" and account["roles"] == ["planner", "supervisor"]
    assert [u["id"] for u in account["units"]] == sorted([world.unit1, world.unit2])
    spec = make_api()
    spec.login("spec", reply["temporary_password"], device_id="tab-s")
    body = spec.post("/api/auth/password", {"current_password": reply["temporary_password"],
                                            "new_password": "сирень под окном", "device_id": "tab-s"})[1]
    assert body["roles"] == ["planner", "supervisor"] and body["signing_key"] is not None
    assert body["unit_ids"] == sorted([world.unit1, world.unit2])
    spec.login("spec", "сирень под окном", device_id="tab-s")  # her own password; the client keeps her key
    for unit in (world.unit1, world.unit2):
        assert spec.get(f"/api/units/{unit}/days/{DAY}")[0] == 200          # the supervisor's day view
        assert spec.get(f"/api/care-groups/board?unit_id={unit}")[0] == 200  # the planner's board
    # as a supervisor she records at the bedside (a planner alone may not)
    tick = make_entry(world.r1, account["id"], kind="note", note="проверила карту", device_id="tab-s")
    decision = push(spec, [tick], device_id="tab-s")[0]
    assert decision["status"] == "accepted", decision
    status, _ = spec.post(f"/api/units/{world.unit1}/days/{DAY}/confirm", {})
    assert status == 201
    assert spec.get("/api/staff")[0] == 403  # neither of her roles manages staff
    # one role fewer, one unit fewer: what she may do follows at once
    admin.patch(f"/api/staff/{account['id']}", {"roles": ["planner"], "unit_ids": [world.unit2]})
    assert spec.get(f"/api/units/{world.unit2}/days/{DAY}")[0] == 403
    assert spec.get(f"/api/care-groups/board?unit_id={world.unit1}")[0] == 404
    assert spec.get(f"/api/care-groups/board?unit_id={world.unit2}")[0] == 200
    with demo.app_context():
        detail = AuditEvent.query.filter_by(action="staff_change", object_id=str(account["id"])).one().detail
    assert detail["roles"] == [["planner", "supervisor"], ["planner"]]
    assert detail["unit_ids"] == [sorted([world.unit1, world.unit2]), [world.unit2]]


def test_a_nurse_of_two_units_records_in_both_and_no_other(admin, world, make_api, demo):
    from backend.models import Unit
    with demo.app_context():
        home_id = db.session.get(User, world.nurse1).home_id
        third = Unit(home_id=home_id, name="Отделение 3")
        db.session.add(third)
        db.session.commit()
        third_id = third.id
    admin.patch(f"/api/staff/{world.nurse1}", {"unit_ids": [world.unit1, world.unit2]})
    nurse = make_api()
    nurse.login(LOGINS.nurse1, device_id="tab-n")
    assert nurse.get(f"/api/sync/pull?post_id={world.post2}&cursor=0")[0] == 200
    both = [make_entry(r, world.nurse1, kind="note", note="n", device_id="tab-n") for r in (world.r1, world.r2)]
    assert [d["status"] for d in push(nurse, both, device_id="tab-n")] == ["accepted", "accepted"]
    admin.patch(f"/api/staff/{world.nurse1}", {"unit_ids": [third_id]})
    later = make_entry(world.r2, world.nurse1, kind="note", note="n", device_id="tab-n")
    decision = push(nurse, [later], device_id="tab-n")[0]
    assert (decision["status"], decision["reason"]) == ("rejected", "unknown_resident")
