"""Every API route declares its roles, and the declaration is what the server enforces: a walk over every
route and every role, plus object-level checks (a unit's staff cannot reach another unit's records)."""
import importlib
import os
import pkgutil

import pytest

from backend.api.registry import PUBLIC, ROUTES
from backend.domain import roles
from backend.extensions import db
from backend.models import Unit, User
from backend.services import auth as auth_service

from ..helpers import entry as make_entry
from .conftest import DAY, push
from ..conftest import DEMO_PASSWORD, LOGINS

USERS = {roles.NURSE: LOGINS.nurse1, roles.SUPERVISOR: LOGINS.supervisor1, roles.PLANNER: LOGINS.planner1,
         roles.ACTIVITIES: LOGINS.activities1, roles.ADMIN: LOGINS.admin1, roles.RELATIVE: LOGINS.relative1,
         "anonymous": None,
         # the region's inspector (walk_world makes her, an account of the care home: in no region)
         roles.INSPECTOR: "inspector",
         # people of several roles (walk_world makes them): each may do what any of her roles may, nothing more
         (roles.PLANNER, roles.SUPERVISOR): "specialist", (roles.ACTIVITIES, roles.NURSE): "aide"}
#: The accounts walk_world makes (the others are the demo's).
MADE = {held: username for held, username in USERS.items() if isinstance(held, tuple) or held == roles.INSPECTOR}
SURVEY = {q: "satisfied" for q in ("living", "care", "food", "activities", "staff", "safety", "information",
                                   "overall")}
ITEM = {"category": "leisure", "title": "Прогулка", "schedule_kind": "as_needed", "schedule": {}}


def calls(w):
    """A plausible request for every endpoint: (method, path, body). Keep in step with the routes. A part of the
    API may keep its own in a module tests/api/walk_<part>.py with a `calls(w)` of the same shape."""
    table = _core_calls(w)
    for found in pkgutil.iter_modules([os.path.dirname(__file__)]):
        if found.name.startswith("walk_"):
            table.update(importlib.import_module(f"{__package__}.{found.name}").calls(w))
    return table


def _core_calls(w):
    card = w.cards[w.r1]["id"]
    last_item = list(w.cards[w.r1]["items"].values())[-1][0]
    return {
        "auth.login": ("POST", "/api/auth/login", None),  # filled per role: a fresh client signs in
        "auth.logout": ("POST", "/api/auth/logout", {}),
        "auth.me": ("GET", "/api/auth/me", None),
        "auth.set_locale": ("PATCH", "/api/auth/me", {"locale": "en"}),
        "auth.challenge": ("GET", "/api/auth/challenge", None),
        # public, but only an enrolled tablet's credential opens it (tests/api/test_tablets.py goes further)
        "auth.unlock": ("POST", "/api/auth/unlock", {"user_id": w.nurse1, "key_id": "k", "challenge": "c",
                                                     "proof": "p"}),
        "devices.listing": ("GET", "/api/devices", None),
        "devices.enrol": ("POST", "/api/devices", {"device_id": "walk-tab", "name": "Walk", "post_id": w.post1}),
        "devices.revoke": ("POST", "/api/devices/walk-tab/revoke", {}),
        "devices.wiped": ("POST", "/api/devices/wiped", {}),
        "organisation.posts": ("GET", "/api/posts", None),
        "organisation.units": ("GET", "/api/units", None),
        "organisation.residents": ("GET", f"/api/residents?unit_id={w.unit1}", None),
        "cards.list_cards": ("GET", f"/api/cards?resident_id={w.r1}", None),
        "cards.create_card": ("POST", "/api/cards", {"resident_id": w.r1, "month": "2027-03-01"}),
        "cards.get_card": ("GET", f"/api/cards/{card}", None),
        "cards.add_item": ("POST", f"/api/cards/{card}/items", ITEM),
        "cards.update_item": ("PATCH", f"/api/cards/{card}/items/{w.toilet}", {"instructions": "Тёплой водой"}),
        "cards.end_item": ("DELETE", f"/api/cards/{card}/items/{last_item}", None),
        "cards.publish": ("POST", f"/api/cards/{card}/publish", {}),
        "sync.push": ("POST", "/api/sync/push", {"device_id": "walk", "entries": []}),
        "sync.pull": ("GET", f"/api/sync/pull?post_id={w.post1}&cursor=0", None),
        "days.day_view": ("GET", f"/api/units/{w.unit1}/days/{DAY}", None),
        "days.confirm": ("POST", f"/api/units/{w.unit1}/days/{DAY}/confirm", {}),
        "days.amend": ("POST", f"/api/entries/{getattr(w, 'amendable', 'x')}/amend", {"reason": "permission walk", "note": "n"}),
        "family.residents": ("GET", "/api/family/residents", None),
        "family.resident": ("GET", f"/api/family/residents/{w.r1}", None),  # the demo relative's own resident
        "family.overview": ("GET", f"/api/family/residents/{w.r1}/overview", None),
        "family.surveys": ("GET", "/api/family/surveys", None),
        "family.answer_survey": ("POST", "/api/family/surveys", {"form_id": "satisfaction_relative",
                                                                 "resident_id": w.r1, "answers": SURVEY}),
        "invitations.residents": ("GET", "/api/invitations/residents", None),
        "invitations.listing": ("GET", f"/api/invitations?resident_id={w.r1}", None),
        "invitations.issue": ("POST", "/api/invitations", {"resident_id": w.r1}),
        "invitations.withdraw": ("POST", "/api/invitations/999999/withdraw", {}),
        "invitations.redeem": ("POST", "/api/invitations/redeem", {"code": "ABCDE-FGHJK"}),  # public; 400 here
        "openapi.openapi": ("GET", "/api/openapi.json", None),
        "health.ready": ("GET", "/api/health/ready", None),  # public: asks the database, never a person's data
        "assessments.list_assessments": ("GET", f"/api/assessments?resident_id={w.r1}", None),
        "assessments.list_forms": ("GET", "/api/assessments/forms", None),
        "care_groups.group": ("GET", f"/api/care-groups?resident_id={w.r1}", None),
        "care_groups.decide": ("POST", "/api/care-groups", {"resident_id": w.r1, "group": 2, "decided_on": DAY,
                                                            "reason": "planned"}),
        "care_groups.board": ("GET", f"/api/care-groups/board?unit_id={w.unit1}", None),
        "archive.month": ("GET", f"/api/archive/months?unit_id={w.unit1}&month=2026-11", None),
        "archive.close_month": ("POST", "/api/archive/months/close", {"unit_id": w.unit1, "month": "2026-11"}),
        "archive.close_card": ("POST", f"/api/archive/cards/{card}/close", {}),
        "archive.sheet": ("GET", f"/api/archive/cards/{card}", None),
        "archive.pdf": ("GET", f"/api/archive/cards/{card}.pdf?lang=en", None),
        "personal_file.personal_file": ("GET", f"/api/residents/{w.r1}/file", None),
        "personal_file.personal_file_pdf": ("GET", f"/api/residents/{w.r1}/file.pdf?lang=en", None),
        "organisation.admit": ("POST", "/api/residents", {"full_name": "Walk Resident", "unit_id": w.unit1,
                                                          "post_id": w.post1}),
        "monitoring.month": ("GET", "/api/monitoring/month?month=2026-11", None),
        "monitoring.month_csv": ("GET", "/api/monitoring/month.csv?month=2026-11", None),
        "monitoring.month_pdf": ("GET", "/api/monitoring/month.pdf?month=2026-11&lang=en", None),
        "monitoring.shift": ("GET", f"/api/monitoring/carers?unit_id={w.unit1}&day={DAY}&shift=day", None),
        "monitoring.set_shift": ("POST", "/api/monitoring/carers", {"unit_id": w.unit1, "day": DAY, "shift": "day",
                                                                    "assignments": []}),
        "care_plans.get_plan": ("GET", f"/api/care-plans/{w.r1}", None),
        "care_plans.list_versions": ("GET", f"/api/care-plans/{w.r1}/versions", None),
        "care_plans.get_version": ("GET", f"/api/care-plans/{w.r1}/versions/1", None),
        "care_plans.save_version": ("POST", f"/api/care-plans/{w.r1}/versions", {"content": {}, "note": "walk"}),
        "care_plans.diff": ("GET", f"/api/care-plans/{w.r1}/diff?from=0&to=1", None),
        "care_plans.generate_card": ("POST", f"/api/care-plans/{w.r1}/cards", {}),
        "activities.catalogue": ("GET", "/api/activities/catalogue", None),
        "activities.create_activity": ("POST", "/api/activities/catalogue", {
            "name": {"ru": "Прогулка"}, "direction": "physical_health", "mode": "active", "format": "group"}),
        "activities.update_activity": ("PATCH", "/api/activities/catalogue/1", {"place": "Сад"}),
        "activities.timetable": ("GET", f"/api/activities/timetable?start={DAY}&end={DAY}", None),
        "activities.sessions": ("GET", "/api/activities/sessions", None),
        "activities.create_session": ("POST", "/api/activities/sessions", {
            "activity_id": 1, "kind": "weekly", "weekday": 3, "start_time": "10:00"}),
        "activities.end_session": ("POST", "/api/activities/sessions/1/end", {}),
        "activities.change_occurrence": ("POST", "/api/activities/sessions/1/changes", {"on_date": DAY,
                                                                                       "cancelled": True}),
        "activities.programme": ("GET", f"/api/activities/programmes?resident_id={w.r1}", None),
        "activities.add_programme_item": ("POST", "/api/activities/programmes", {"resident_id": w.r1,
                                                                                 "activity_id": 1}),
        "activities.update_programme_item": ("PATCH", "/api/activities/programmes/1", {"goal": "walk"}),
        "activities.end_programme_item": ("POST", "/api/activities/programmes/1/end", {}),
        "activities.schedule": ("GET", f"/api/activities/schedule?resident_id={w.r1}&start={DAY}&end={DAY}", None),
        "activities.people": ("GET", "/api/activities/people", None),
        "attendance.pull": ("GET", "/api/attendance/pull?cursor=0", None),
        "attendance.day": ("GET", f"/api/attendance/day?day={DAY}", None),
        "attendance.idle": ("GET", "/api/attendance/idle", None),
        "auth.change_password": ("POST", "/api/auth/password", {"current_password": "wrong",
                                                                "new_password": "a walk in the park"}),
        "staff.listing": ("GET", "/api/staff", None),
        "staff.create": ("POST", "/api/staff", {"username": "walk.nurse", "full_name": "Walk Nurse",
                                                "role": "nurse", "unit_id": w.unit1}),
        "staff.change": ("PATCH", f"/api/staff/{w.users[LOGINS.nurse3]}", {"locale": "en"}),
        "staff.reset_password": ("POST", f"/api/staff/{w.users[LOGINS.nurse3]}/reset-password", {}),
        "staff.reset_pin": ("POST", f"/api/staff/{w.users[LOGINS.nurse3]}/reset-pin", {}),
        "staff.clear_hold": ("POST", f"/api/staff/{w.users[LOGINS.nurse3]}/clear-hold", {}),
        "staff.disable": ("POST", f"/api/staff/{w.users[LOGINS.nurse3]}/disable", {}),
        "staff.enable": ("POST", f"/api/staff/{w.users[LOGINS.nurse3]}/enable", {}),
        "organisation.organisation": ("GET", "/api/organisation", None),
        "organisation.change_home": ("PATCH", "/api/home", {"locale": "ru"}),
        "organisation.create_unit": ("POST", "/api/units", {"name": "Walk unit"}),
        "organisation.rename_unit": ("PATCH", f"/api/units/{w.unit1}", {"name": "Unit one"}),
        "organisation.set_unit_phone": ("PATCH", f"/api/units/{w.unit1}/phone", {"phone": "+7 391 555-01-99"}),
        "organisation.create_post": ("POST", "/api/posts", {"unit_id": w.unit1, "name": "Walk post"}),
        "organisation.rename_post": ("PATCH", f"/api/posts/{w.post1}", {"name": "Post one"}),
        "organisation.create_room": ("POST", "/api/rooms", {"unit_id": w.unit1, "name": "W1", "beds": ["1"]}),
        "organisation.change_room": ("PATCH", "/api/rooms/1", {"beds": ["1", "2"]}),
        "organisation.rooms": ("GET", f"/api/rooms?unit_id={w.unit1}", None),
        "organisation.resident_record": ("GET", f"/api/residents/{w.r1}", None),
        "organisation.record_stay_event": ("POST", f"/api/residents/{w.r1}/events", {"kind": "details",
                                                                                   "room": "walk"}),
        "organisation.relatives": ("GET", f"/api/residents/{w.r1}/relatives", None),
        "organisation.unlink_relative": ("DELETE", f"/api/residents/{w.r1}/relatives/999999", None),
        "onboarding.template": ("GET", "/api/import/residents/template.csv?lang=ru", None),
        "onboarding.run": ("POST", "/api/import/staff", {"csv": "Логин;ФИО;Роль\nwalk.csv;Walk Nurse;nurse\n",
                                                         "dry_run": True}),
    }


def test_every_api_rule_has_a_route_declaration(app):
    api_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api")]
    assert len(api_rules) >= 20
    undeclared = [r.rule for r in api_rules if not hasattr(app.view_functions[r.endpoint], "route_spec")]
    assert undeclared == [], f"API routes without a route declaration (roles): {undeclared}"
    for rule in api_rules:
        spec = app.view_functions[rule.endpoint].route_spec
        assert spec.rule == rule.rule and set(spec.methods) <= rule.methods
        assert set(spec.roles) <= set(roles.ALL), spec
    declared = {s.endpoint for s in ROUTES}
    assert declared == {r.endpoint for r in api_rules}


def test_the_walk_covers_every_route(app, world):
    assert set(calls(world)) == {s.endpoint for s in ROUTES}


@pytest.fixture
def walk_world(demo, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    note = make_entry(world.r1, world.nurse1, kind="note", note="for the walk")
    push(nurse, [note])
    world.amendable = note["id"]
    with demo.app_context():
        home_id = db.session.get(User, world.nurse1).home_id
        for held, username in MADE.items():
            user = User(username=username, password_hash=auth_service.hash_password("demo"), full_name=username,
                        home_id=home_id)
            user.set_roles(roles.held(held))
            db.session.add(user)
        db.session.commit()
        db.session.remove()
    return world


def test_every_route_by_every_role(demo, walk_world, make_api):
    table = calls(walk_world)
    specs = {s.endpoint: s for s in ROUTES}
    # logout last: it ends the session the other calls use
    order = sorted(table, key=lambda endpoint: endpoint == "auth.logout")
    problems = []
    for role, username in USERS.items():
        client = make_api()
        if username:
            client.login(username)
        for endpoint in order:
            method, path, body = table[endpoint]
            spec = specs[endpoint]
            caller = client
            if endpoint == "auth.login":
                caller = make_api()  # signing in must not change the walking client's identity
                body = {"username": username or LOGINS.nurse2, "password": DEMO_PASSWORD}
            status, reply = caller.call(method, path, json=body)
            public = spec.roles is PUBLIC
            allowed = public or roles.holds(role, spec.roles)
            if endpoint == "auth.unlock":
                ok = (status, reply["error"]) == (401, "device_unknown")
            elif allowed:
                ok = status not in (401, 403) and status < 500
            else:
                ok = status == (401 if role == "anonymous" else 403)
            if role == roles.RELATIVE and status < 400:
                ok = ok and (path.startswith(("/api/auth/", "/api/family/")) or public)
            if role == roles.RELATIVE and path.startswith("/api/family/"):
                ok = ok and status in (200, 201)  # their own linked resident: reached, not merely "not refused"
            if not ok:
                problems.append((role, endpoint, method, path, status, reply))
    assert problems == []


#: Capabilities about what a person records or signs (domain/roles.py may_record, the signing key), not about a
#: route of their own.
ENTRY_CAPABILITIES = {"sign_entries", "record_bedside", "assess", "survey"}


def test_each_capability_is_what_routes_declare():
    """The tablet shows a screen when she `can` (domain/roles.py CAPABILITIES): each capability is the role set of
    the routes that screen calls, so the screen and the server allow the same people."""
    declared = {frozenset(s.roles) for s in ROUTES if s.roles is not PUBLIC}
    for name, group in roles.CAPABILITIES.items():
        assert len(set(group)) == len(group) and set(group) <= set(roles.ALL), name
        if name not in ENTRY_CAPABILITIES:
            assert frozenset(group) in declared, f"no route declares {name}: {group}"


def test_the_tablet_is_told_what_she_can(demo, walk_world, make_api):
    """/api/auth/me and the sign-in reply carry `can`: the capabilities of every role she holds, and no others."""
    for held, username in USERS.items():
        if not username:
            continue
        client = make_api()
        signed_in = client.login(username)
        status, me = client.get("/api/auth/me")
        assert status == 200 and me["can"] == roles.capabilities(held) == signed_in["can"], held
    assert "plan_care" in roles.capabilities((roles.PLANNER, roles.SUPERVISOR))
    assert "review_days" in roles.capabilities((roles.PLANNER, roles.SUPERVISOR))
    assert roles.capabilities(roles.NURSE) == ["sign_entries", "work_at_post", "record_bedside", "read_residents"]
    assert roles.capabilities(roles.RELATIVE) == ["see_family"]


def test_forbidden_roles_are_refused_before_the_body_is_read(demo, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    status, body = nurse.post("/api/cards", {"garbage": True})
    assert (status, body["error"]) == (403, "forbidden")
    anonymous = make_api()
    status, body = anonymous.post("/api/sync/push", {"garbage": True})
    assert (status, body["error"]) == (401, "unauthenticated")


# --- object level --------------------------------------------------------------------------------

@pytest.fixture
def unit_staff(demo, world):
    """A supervisor and a planner who work in unit 1 only."""
    with demo.app_context():
        home_id = db.session.get(User, world.nurse1).home_id
        for username, role in (("sup_u1", roles.SUPERVISOR), ("plan_u1", roles.PLANNER)):
            db.session.add(User(username=username, password_hash=auth_service.hash_password("demo"),
                                full_name=username, role=role, home_id=home_id,
                                units=[db.session.get(Unit, world.unit1)]))
        db.session.commit()
        db.session.remove()
    return world


def test_a_nurse_of_unit_1_cannot_reach_unit_2(demo, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert nurse.get(f"/api/residents?unit_id={world.unit2}")[0] == 404
    assert nurse.get(f"/api/residents?unit_id={world.unit1}")[0] == 200
    assert nurse.get(f"/api/sync/pull?post_id={world.post2}")[0] == 404
    assert nurse.get(f"/api/sync/pull?post_id={world.post2}&cursor=1")[0] == 404
    status, posts = nurse.get("/api/posts")
    assert [p["id"] for p in posts] == [world.post1]
    forged, own = push(nurse, [make_entry(world.r2, world.nurse2, kind="note", note="x"),
                               make_entry(world.r2, world.nurse1, kind="note", note="x")])
    assert (forged["status"], forged["reason"]) == ("rejected", "bad_signature")  # nurse2 never signed it
    assert (own["status"], own["reason"]) == ("rejected", "unknown_resident")


def test_unit_supervisor_and_planner_cannot_reach_unit_2(demo, unit_staff, make_api):
    w = unit_staff
    other = make_api()
    other.login(LOGINS.nurse2)
    unit2_note = make_entry(w.r2, w.nurse2, kind="note", note="unit 2")
    push(other, [unit2_note])
    sup = make_api()
    sup.login("sup_u1")
    status, units = sup.get("/api/units")
    assert [u["id"] for u in units] == [w.unit1]
    assert sup.get(f"/api/units/{w.unit2}/days/{DAY}")[0] == 404
    assert sup.post(f"/api/units/{w.unit2}/days/{DAY}/confirm", {})[0] == 404
    assert sup.post(f"/api/units/{w.unit1}/days/{DAY}/confirm", {"resident_id": w.r2})[0] == 404
    assert sup.post(f"/api/entries/{unit2_note['id']}/amend", {"reason": "not mine"})[0] == 404
    assert sup.get(f"/api/cards?resident_id={w.r2}")[0] == 404
    assert sup.get(f"/api/sync/pull?post_id={w.post2}")[0] == 404
    assert sup.get(f"/api/units/{w.unit1}/days/{DAY}")[0] == 200
    plan = make_api()
    plan.login("plan_u1")
    card2 = w.cards[w.r2]["id"]
    item2 = w.cards[w.r2]["first_timed"][0]
    assert plan.get(f"/api/cards/{card2}")[0] == 404
    assert plan.post("/api/cards", {"resident_id": w.r2, "month": "2027-01-01"})[0] == 404
    assert plan.post("/api/cards", {"resident_id": w.r1, "month": "2027-01-01", "copy_from": card2})[0] == 404
    assert plan.post(f"/api/cards/{card2}/items", ITEM)[0] == 404
    assert plan.patch(f"/api/cards/{card2}/items/{item2}", {"title": "x"})[0] == 404
    assert plan.delete(f"/api/cards/{card2}/items/{item2}")[0] == 404
    assert plan.post(f"/api/cards/{card2}/publish", {})[0] == 404
    assert plan.get(f"/api/residents?unit_id={w.unit2}")[0] == 404
