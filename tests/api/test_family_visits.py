"""The family view of care at home (issue 18, sections 3 "Family" and 5): a person-at-home's relative sees her
visits -- today's with their status, the coming week's, the last 30 days' and whether each was verified -- and her
alarms with their outcome, in the relative's language; never a location, the home code, a note, a reason, a carer,
a flag, vitals or a card item's title. A care home's resident has no visits and an unchanged overview."""
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from backend.api.family_schemas import FamilyHomeVisitsSchema
from backend.domain import geo, service_catalogue
from backend.domain import visits as visit_rules
from backend.extensions import db
from backend.models import Alarm, HomeDevice, RelativeLink, Resident, ServiceItem, User, Visit, VisitCarer

from .. import factories
from ..conftest import CSRF, LOGINS
from ..helpers import entry as make_entry
from .conftest import push
from .test_audit_chain import events
from .test_family import HOME_NEVER as FAMILY_HOME_NEVER, NEVER, assert_allow_listed
from .test_family_view import MEDICAL, walk

TODAY = date(2026, 11, 25)  # the clock's day in the community home's zone (Asia/Shanghai: 11:00 there)
#: Keys that would carry where she lives or was visited, her door's code, what was written or who came.
HOME_NEVER = FAMILY_HOME_NEVER | {"carer", "full_name", "device_id", "items", "id", "resident_id", "person"}
#: Texts written into the world below that a relative may never read.
SECRETS = ("Перевязка пролежня", "SECRET-NOTE", "SECRET-LEFT", "SECRET-CANCEL", "SECRET-STEP", "SECRET-LABEL")


def at(hhmm, day=TODAY):
    return f"{day.isoformat()}T{hhmm}:00+08:00"


def _utc(hhmm, day=TODAY):
    """The moment on the home's clock as the database keeps it (naive UTC)."""
    return datetime.fromisoformat(at(hhmm, day)).astimezone(UTC).replace(tzinfo=None)


@pytest.fixture
def home_world(demo, community):
    """The first person at home: a relative ("daughter", language ru) linked to her; November's card with a cleaning
    and a meal (catalogue services) and a dressing (no catalogue service: a clinical item); her visits from 40 days
    ago to 9 days ahead, carer1 on each; one visit of another person today."""
    with demo.app_context():
        person = db.session.get(Resident, community.people[0])
        carer = db.session.get(User, community.staff["carer1"])
        card = factories.make_card(person, date(2026, 11, 1))
        clean = factories.make_item(card, title="Clean", times=("09:00",))
        clean.service_item_id = community.catalogue["help_clean"]
        meal = factories.make_item(card, title="Meal", times=("10:30",))
        meal.service_item_id = community.catalogue["help_meal"]
        dressing = factories.make_item(card, title=SECRETS[0], times=("09:00",), category="treatment")
        daughter = User(username="daughter", password_hash=carer.password_hash, full_name="Daughter",
                        home_id=community.home, locale="ru")
        daughter.set_roles(("relative",))
        db.session.add(daughter)
        db.session.flush()
        db.session.add(RelativeLink(user_id=daughter.id, resident_id=person.id))
        made = datetime(2026, 10, 1)
        visits, n = {}, [0]

        def visit(name, day, start, minutes, items, cancelled=None, resident=person.id):
            n[0] += 1
            v = Visit(home_id=community.home, unit_id=community.station, resident_id=resident, day=day,
                      start_time=start, planned_minutes=minutes, source="plan", item_ids=items, created_at=made,
                      created_by=community.staff["dispatch1"], seq=10**7 + n[0],
                      cancelled_at=cancelled, cancel_reason="SECRET-CANCEL in hospital" if cancelled else None,
                      cancelled_by=community.staff["dispatch1"] if cancelled else None)
            db.session.add(v)
            db.session.flush()
            db.session.add(VisitCarer(visit_id=v.id, carer_id=carer.id, assigned_at=made,
                                      assigned_by=community.staff["dispatch1"]))
            visits[name] = v.id

        d = lambda days: TODAY + timedelta(days=days)  # noqa: E731
        visit("old", d(-40), "09:00", 60, [clean.id])
        visit("unverified", d(-4), "09:00", 60, [clean.id])
        visit("verified", d(-3), "09:00", 60, [clean.id, dressing.id])
        visit("no_access", d(-2), "09:00", 60, [clean.id])
        visit("nothing", d(-1), "09:00", 60, [meal.id])
        visit("left", TODAY, "09:00", 60, [clean.id, dressing.id])
        visit("arrived", TODAY, "10:30", 60, [meal.id])
        visit("later", TODAY, "15:00", 30, [meal.id, dressing.id])
        visit("cancelled", TODAY, "17:00", 30, [meal.id], cancelled=_utc("09:00"))
        visit("coming", d(2), "15:00", 90, [clean.id, dressing.id, meal.id])
        visit("coming_cancelled", d(3), "09:00", 60, [clean.id], cancelled=_utc("08:00"))
        visit("only_dressing", d(4), "08:00", 20, [dressing.id])
        visit("too_far", d(9), "09:00", 60, [clean.id])
        visit("another_person", TODAY, "09:00", 60, [], resident=community.people[1])
        world = {"person": person.id, "daughter": daughter.id, "items": {"clean": clean.id, "meal": meal.id,
                 "dressing": dressing.id}, "visits": visits, "home": (person.lat, person.lon),
                 "salt": person.home_code_salt, "code_hash": person.home_code_hash, "code": community.codes[person.id],
                 "carer": carer.id, "carer_name": carer.full_name, "address": person.address, "phone": person.phone,
                 "names": {code: db.session.get(ServiceItem, community.catalogue[code]).names
                           for code in ("help_clean", "help_meal")}}
        db.session.commit()
        db.session.remove()
    return world


def visit_entry(w, name, status, hhmm, day=TODAY, **values):
    fields = {"values": {"visit_id": w["visits"][name], **values}, "status": status, "device_time": at(hhmm, day)}
    for key in ("reason", "note"):
        if key in values:
            fields[key] = fields["values"].pop(key)
    return make_entry(w["person"], w["carer"], day=day.isoformat(), kind="visit", device_id="phone-1", **fields)


def fix(w, north=0.0):
    lat, lon = w["home"]
    return {"presence": "fix", "lat": geo.round_fix(lat + north), "lon": geo.round_fix(lon), "accuracy_m": 10}


def tick(w, item, hhmm, day=TODAY, slot="09:00"):
    return make_entry(w["person"], w["carer"], day=day.isoformat(), device_id="phone-1", item_id=w["items"][item],
                      slot=slot, device_time=at(hhmm, day))


@pytest.fixture
def delivered(demo, community, home_world, make_api):
    """What carer1's phone pushed: visits left and verified, left without a service, no access with a note, an
    arrival by the home code, a note and vitals on the person."""
    w = home_world
    phone = make_api()
    phone.login("carer1", device_id="phone-1")
    d = lambda days: TODAY + timedelta(days=days)  # noqa: E731
    code = {"presence": "code", "code_hash": visit_rules.code_hash(w["salt"], w["code"])}
    entries = [
        visit_entry(w, "unverified", "arrived", "09:02", d(-4), presence="none", presence_reason="denied"),
        visit_entry(w, "unverified", "left", "09:58", d(-4), presence="none", presence_reason="denied",
                    confirmed_by="family"),
        visit_entry(w, "verified", "arrived", "09:01", d(-3), **fix(w, 0.0003)),
        tick(w, "clean", "09:30", d(-3)),
        visit_entry(w, "verified", "left", "10:01", d(-3), **dict(fix(w), confirmed_by="person")),
        visit_entry(w, "no_access", "no_access", "09:05", d(-2), reason="other", note="SECRET-NOTE at the door"),
        visit_entry(w, "left", "arrived", "09:01", **fix(w, 0.0002)),
        tick(w, "clean", "09:20"),
        make_entry(w["person"], w["carer"], day=TODAY.isoformat(), kind="note", device_id="phone-1",
                   note="SECRET-NOTE she coughs", device_time=at("09:30")),
        make_entry(w["person"], w["carer"], day=TODAY.isoformat(), kind="vitals", device_id="phone-1",
                   values={"pulse": 97}, device_time=at("09:31")),
        visit_entry(w, "left", "left", "10:00", **dict(fix(w), confirmed_by="person", note="SECRET-LEFT tired")),
        visit_entry(w, "arrived", "arrived", "10:35", **code),
    ]
    results = push(phone, entries, device_id="phone-1", device_now=at("11:00"))
    assert [r for r in results if r["status"] != "accepted"] == []
    return w


@pytest.fixture
def alarms(app, community, home_world, clock, make_api):
    """Her alarms: an SOS closed as a false alarm, a fall still open (a step with a note), one closed 40 days ago
    (not shown) and one left open since then (shown)."""
    w = home_world
    head = make_api()
    head.login("dispatch1")
    tokens = {}
    for kind in ("sos", "fall"):
        status, device = head.post(f"/api/homecare/people/{w['person']}/devices",
                                   {"kind": kind, "label": f"SECRET-LABEL {kind}"})
        assert status == 201, device
        tokens[kind] = device["token"]

    def raise_alarm(kind):
        response = app.test_client().post("/api/alarms", json={"kind": kind},
                                          headers={**CSRF, "Authorization": f"Bearer {tokens[kind]}"})
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()["id"]

    sos = raise_alarm("sos")
    clock.set(at("11:05"))
    assert head.post(f"/api/alarms/{sos}/close", {"outcome": "Pressed by mistake", "false_alarm": True})[0] == 200
    clock.set(at("11:10"))
    fall = raise_alarm("fall")
    assert head.post(f"/api/alarms/{fall}/steps", {"step": "family_told", "note": "SECRET-STEP son called"})[0] == 200
    with app.app_context():
        device = HomeDevice.query.filter_by(resident_id=w["person"], kind="sos").one()
        for days, closed in ((40, True), (41, False)):
            raised = _utc("08:00", TODAY - timedelta(days=days))
            db.session.add(Alarm(home_id=community.home, resident_id=w["person"], device_id=device.id, kind="sos",
                                 raised_at=raised, received_at=raised, raised_minute=raised, false_alarm=False,
                                 outcome="long ago" if closed else None,
                                 closed_at=raised + timedelta(minutes=30) if closed else None))
        db.session.commit()
        db.session.remove()
    return w


def daughter(make_api):
    client = make_api()
    client.login("daughter")
    return client


def assert_nothing_private(reply, w, allowed=()):
    """The walk of every key finds no location, code, note, reason, carer, flag or clinical key, and the text holds
    none of the values written: the fixes, the home's location, the code, its salt and hash, notes, names."""
    for where, key, _value in walk(reply):
        assert key in allowed or key not in HOME_NEVER | MEDICAL | NEVER, (where, key)
    text = json.dumps(reply, ensure_ascii=False)
    lat, lon = w["home"]
    private = [*SECRETS, w["code"], w["salt"], w["code_hash"], w["carer_name"], w["address"], w["phone"], "97",
               str(geo.round_fix(lat)), str(geo.round_fix(lon)), str(lat), str(lon), str(geo.round_fix(lat + 0.0003)),
               str(geo.round_fix(lat + 0.0002)), "Перевязка", "treatment"]
    for word in private:
        assert word not in text, word


def test_a_relative_sees_her_visits_and_alarms_and_nothing_private(demo, community, delivered, alarms, make_api,
                                                                   clock):
    w = alarms
    client = daughter(make_api)
    status, body = client.get(f"/api/family/residents/{w['person']}/visits")
    assert status == 200, body
    assert_allow_listed(body, FamilyHomeVisitsSchema())
    assert_nothing_private(body, w)
    clean, meal = w["names"]["help_clean"]["ru"], w["names"]["help_meal"]["ru"]
    assert (body["at_home"], body["today"], body["language"]) == (True, "2026-11-25", "ru")
    assert body["generated_at"] == "2026-11-25T03:10:00+00:00"

    def row(day, time, end, services, status, status_at=None, verified=None):
        return {"date": day.isoformat(), "time": time, "end": end, "services": services, "status": status,
                "status_at": status_at, "verified": verified}

    d = lambda days: TODAY + timedelta(days=days)  # noqa: E731
    assert body["today_visits"] == [
        row(TODAY, "09:00", "10:00", [clean], "left", at("10:00"), True),  # the dressing is not named
        row(TODAY, "10:30", "11:30", [meal], "arrived", at("10:35"), False),  # not left yet
        row(TODAY, "15:00", "15:30", [meal], "planned"),
        row(TODAY, "17:00", "17:30", [meal], "cancelled", at("09:00")),
    ]
    assert body["coming_visits"] == [  # the seven days after today; the ninth day's is not listed
        row(d(2), "15:00", "16:30", [clean, meal], "planned"),
        row(d(3), "09:00", "10:00", [clean], "cancelled", at("08:00")),
        row(d(4), "08:00", "08:20", [], "planned"),  # a clinical item alone: no service named
    ]
    assert body["recent_visits"] == [  # newest first; 40 days ago is not listed
        row(d(-1), "09:00", "10:00", [meal], "planned", None, False),  # nothing recorded: not verified
        row(d(-2), "09:00", "10:00", [clean], "no_access", at("09:05", d(-2)), False),
        row(d(-3), "09:00", "10:00", [clean], "left", at("10:01", d(-3)), True),
        row(d(-4), "09:00", "10:00", [clean], "left", at("09:58", d(-4)), False),  # no service, no location
    ]
    assert body["alarms"] == [
        {"kind": "fall", "raised_at": at("11:10"), "open": True, "closed_at": None, "outcome": None,
         "false_alarm": False},
        {"kind": "sos", "raised_at": at("11:00"), "open": False, "closed_at": at("11:05"),
         "outcome": "Pressed by mistake", "false_alarm": True},
        {"kind": "sos", "raised_at": at("08:00", d(-41)), "open": True, "closed_at": None, "outcome": None,
         "false_alarm": False},  # long ago, still open: shown
    ]
    # her overview (the home's timetable) is there too, and as private
    status, overview = client.get(f"/api/family/residents/{w['person']}/overview")
    assert status == 200
    # her own id and name (its `resident`), the timetable's note on an occurrence (family_schemas.py)
    assert_nothing_private(overview, w, allowed=("id", "full_name", "note"))
    reads = [e["detail"] for e in events(demo, action="read") if e["actor_id"] == w["daughter"]]
    assert {"view": "family_visits"} in reads


@pytest.mark.parametrize("language", ["zh_Hans", "en", "ru"])
def test_services_are_named_in_the_relatives_language(demo, community, home_world, make_api, language):
    w = home_world
    with demo.app_context():
        db.session.get(User, w["daughter"]).locale = language
        db.session.commit()
        db.session.remove()
    body = daughter(make_api).get(f"/api/family/residents/{w['person']}/visits")[1]
    assert body["language"] == language
    coming = body["coming_visits"][0]
    assert coming["services"] == [w["names"]["help_clean"][language], w["names"]["help_meal"][language]]
    seeded = {h["code"]: h["names"] for h in service_catalogue.HELPS}
    assert coming["services"][0] == seeded["help_clean"][language]


def test_verification_is_the_servers_and_still_tells_nothing(demo, community, delivered, make_api):
    """With her home's location forgotten a fix proves nothing: the visits shown by a fix are no longer verified;
    the reply still carries no location, code or note."""
    w = delivered
    with demo.app_context():
        person = db.session.get(Resident, w["person"])
        person.lat = person.lon = None
        db.session.commit()
        db.session.remove()
    body = daughter(make_api).get(f"/api/family/residents/{w['person']}/visits")[1]
    assert_nothing_private(body, w)
    assert [(v["status"], v["verified"]) for v in body["today_visits"]] == [
        ("left", False), ("arrived", False), ("planned", None), ("cancelled", None)]
    assert [(v["status"], v["verified"]) for v in body["recent_visits"]] == [
        ("planned", False), ("no_access", False), ("left", False), ("left", False)]


def test_others_and_staff_get_nothing(demo, world, community, home_world, make_api):
    w = home_world
    client = daughter(make_api)
    missing = client.get("/api/family/residents/999999/visits")
    assert missing[0] == 404 and missing[1]["error"] == "not_found"
    for rid in (community.people[1], world.r1, "abc", f"0{w['person']}", 2**31):
        assert client.get(f"/api/family/residents/{rid}/visits") == missing, rid
    for username in ("carer1", "dispatch1", "cplanner1", LOGINS.supervisor1):
        staff = make_api()
        staff.login(username)
        status, body = staff.get(f"/api/family/residents/{w['person']}/visits")
        assert (status, body["error"]) == (403, "forbidden"), username
    assert make_api().get(f"/api/family/residents/{w['person']}/visits")[0] == 401


def test_a_care_home_resident_has_no_visits_and_her_overview_is_unchanged(demo, world, community, make_api):
    client = make_api()
    client.login(LOGINS.relative1)
    status, body = client.get(f"/api/family/residents/{world.r1}/visits")
    assert status == 200
    assert_allow_listed(body, FamilyHomeVisitsSchema())
    assert body["at_home"] is False and body["today"] == "2026-11-25"  # the care home's day (Krasnoyarsk)
    assert [body[k] for k in ("today_visits", "coming_visits", "recent_visits", "alarms")] == [[], [], [], []]
    status, overview = client.get(f"/api/family/residents/{world.r1}/overview")
    assert status == 200 and set(overview) == {"resident", "today", "generated_at", "language", "days", "events",
                                               "participation"}
