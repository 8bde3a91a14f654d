"""The dispatcher's home-care API (issue 18, backend/api/homecare.py): people at home and their home code, the service
catalogue, contracts and the care card a month's contracts make. Only a community home's people and objects, in the
stations the caller may reach: everything else answers 404. The home code is shown once; prices travel as text."""
import json
from datetime import date

import pytest
import schemathesis

from backend.api.registry import ROUTES
from backend.domain import visits
from backend.extensions import db
from backend.models import (AuditEvent, CareCard, DutyPost, Home, Resident, ServiceContract, ServiceItem, Unit,
                            User)

from ..conftest import LOGINS
from .test_schemathesis import COOKIE, generated_failures

MONTH = "2026-11"  # the clock's month (the clock: 2026-11-25)


def _login(make_api, username):
    client = make_api()
    client.login(username)
    return client


@pytest.fixture
def hc(demo, community, make_api):
    """The community centre's ids; clients of its dispatcher (a supervisor of the station), its planner and a
    carer; a second station of the centre with one person (the dispatcher does not work there); and a service of
    the care home's (another home's) catalogue and a contract of a care-home resident."""
    with demo.app_context():
        by_role = {db.session.get(User, uid).role: username for username, uid in community.staff.items()}
        second = Unit(home_id=community.home, name="S2")
        db.session.add(second)
        db.session.flush()
        post = DutyPost(unit_id=second.id, name="S2 desk")
        db.session.add(post)
        db.session.flush()
        other = Resident(unit_id=second.id, post_id=post.id, full_name="Second station person", lat=40.8, lon=111.6)
        db.session.add(other)
        care_home_resident = Resident.query.join(Unit).filter(Unit.home_id != community.home).first()
        care_home = care_home_resident.unit.home_id
        foreign_service = ServiceItem(home_id=care_home, names={"en": "Elsewhere"}, category="advisory",
                                      item="advisory_basic", price=1, unit="visit")
        db.session.add(foreign_service)
        db.session.flush()
        foreign_contract = ServiceContract(home_id=care_home, resident_id=care_home_resident.id,
                                           starts_on=date(2026, 1, 1), funding="self_pay",
                                           created_by=community.staff[by_role["supervisor"]],
                                           created_at=date(2026, 1, 1))
        db.session.add(foreign_contract)
        db.session.commit()
        community.other_station_person, community.care_home_resident = other.id, care_home_resident.id
        community.second_station, community.care_home_unit = second.id, care_home_resident.unit_id
        community.foreign_service, community.foreign_contract = foreign_service.id, foreign_contract.id
        db.session.remove()
    community.dispatcher = _login(make_api, by_role["supervisor"])
    community.planner = _login(make_api, by_role["planner"])
    community.carer = _login(make_api, by_role["nurse"])
    return community


def fields_of(reply):
    return set((reply or {}).get("fields") or {})


def row(demo, model, object_id):
    with demo.app_context():
        found = db.session.get(model, object_id)
        values = {c.name: getattr(found, c.name) for c in model.__table__.columns}
        db.session.remove()
    return values


def audited(demo, action):
    with demo.app_context():
        rows = [(a.object_id, a.detail) for a in AuditEvent.query.filter_by(action=action).order_by(AuditEvent.id)]
        db.session.remove()
    return rows


# --- people at home ----------------------------------------------------------------------------------------------

def test_the_stations_people_with_their_contract(demo, hc):
    status, people = hc.dispatcher.get(f"/api/homecare/people?unit_id={hc.station}")
    assert status == 200 and sorted(p["id"] for p in people) == sorted(hc.people)
    first = next(p for p in people if p["id"] == hc.people[0])
    assert first["has_home_code"] is True and first["radius_m"] == 200 and first["lat"] is not None
    assert first["contract"]["starts_on"] <= "2026-11-25" and first["contract"]["ends_on"] is None
    assert first["contract"]["monthly_subsidy"] == "300.00" and len(first["contract"]["service_item_ids"]) == 2
    assert not {"home_code_hash", "home_code_salt", "code"} & set(first)
    # her sheet is printed in her home's language unless the dispatcher chooses another (the screen's default)
    assert {p["lang"] for p in people} == {row(demo, Home, hc.home)["locale"]}
    # no station named: every station she may reach (not the second one)
    status, everyone = hc.dispatcher.get("/api/homecare/people")
    assert status == 200 and {p["id"] for p in everyone} == set(hc.people)
    status, one = hc.planner.get(f"/api/homecare/people/{hc.people[0]}")
    assert status == 200 and one == first


def test_other_stations_homes_and_roles_are_refused(hc, make_api):
    d = hc.dispatcher
    for path in (f"/api/homecare/people/{hc.other_station_person}", f"/api/homecare/people/{hc.care_home_resident}",
                 f"/api/homecare/people/{hc.care_home_resident}/contracts",
                 f"/api/homecare/people?unit_id={hc.second_station}",
                 f"/api/homecare/people?unit_id={hc.care_home_unit}"):
        status, reply = d.get(path)
        assert status == 404, (path, reply)
    status, _ = d.patch(f"/api/homecare/people/{hc.other_station_person}", {"phone": "123"})
    assert status == 404
    status, _ = d.post(f"/api/homecare/people/{hc.care_home_resident}/home-code", {})
    assert status == 404
    # a care home's supervisor: no home care there at all
    elsewhere = _login(make_api, LOGINS.supervisor1)
    for path in ("/api/homecare/catalogue", "/api/homecare/people", f"/api/homecare/people/{hc.people[0]}"):
        assert elsewhere.get(path)[0] == 404
    status, _ = elsewhere.post(f"/api/homecare/people/{hc.care_home_resident}/card", {"month": MONTH})
    assert status == 404
    # a carer: not her work
    assert hc.carer.get("/api/homecare/people")[0] == 403
    assert hc.carer.post(f"/api/homecare/people/{hc.people[0]}/home-code", {})[0] == 403


def test_changing_a_persons_details(demo, hc):
    person = hc.people[1]
    before = row(demo, Resident, person)
    change = {"address": " 海东路 1号 ", "phone": "+86 471 555-0101", "lat": 40.85, "lon": 111.7, "radius_m": 350,
              "lives_alone": True, "eligibility": "general", "care_level": "full", "family_bed_since": "2026-10-01"}
    status, body = hc.dispatcher.patch(f"/api/homecare/people/{person}", change)
    assert status == 200, body
    assert body["address"] == "海东路 1号" and body["radius_m"] == 350 and body["care_level"] == "full"
    assert body["family_bed_since"] == "2026-10-01" and body["lat"] == 40.85 and body["lives_alone"] is True
    after = row(demo, Resident, person)
    assert after["seq"] > before["seq"]  # the phones pull her again
    assert audited(demo, "homecare_person_update")[-1] == (str(person), {"fields": sorted(change)})
    # clearing her location: both together
    status, body = hc.dispatcher.patch(f"/api/homecare/people/{person}", {"lat": None, "lon": None, "phone": ""})
    assert status == 200 and body["lat"] is None and body["phone"] is None


PERSON_REFUSALS = [
    ({"lat": 90.5}, "lat"), ({"lat": -91}, "lat"), ({"lon": 180.5}, "lon"), ({"lat": None}, "lat"),
    ({"lon": None}, "lon"), ({"radius_m": 49}, "radius_m"), ({"radius_m": 2001}, "radius_m"),
    ({"eligibility": "rich"}, "eligibility"), ({"care_level": "bedridden"}, "care_level"),
    ({"phone": "call me"}, "phone"), ({"family_bed_since": "1999-01-01"}, "family_bed_since"),
    ({"home_code_hash": "0" * 64}, "home_code_hash"), ({"lat": "40.1"}, "lat"),
    ({"lives_alone": "maybe"}, "lives_alone"),
]


def test_a_persons_details_refused_naming_the_field(demo, hc):
    person = hc.people[2]
    before = row(demo, Resident, person)
    for change, field in PERSON_REFUSALS:
        status, reply = hc.dispatcher.patch(f"/api/homecare/people/{person}", change)
        assert status == 400 and field in fields_of(reply), (change, reply)
    assert row(demo, Resident, person) == before


# --- the home code -----------------------------------------------------------------------------------------------

def _all_replies(hc, person):
    """Every reply of the home-care routes and the residents' list that could show her."""
    d, out = hc.dispatcher, []
    for path in (f"/api/homecare/people?unit_id={hc.station}", "/api/homecare/people", f"/api/homecare/people/{person}",
                 f"/api/homecare/people/{person}/contracts", "/api/homecare/catalogue",
                 f"/api/residents?unit_id={hc.station}"):
        response = d.client.get(path, headers={"X-Bedside": "1"})
        assert response.status_code == 200, path
        out.append(response.get_data(as_text=True))
    status, patched = d.patch(f"/api/homecare/people/{person}", {"radius_m": 210})
    out.append(json.dumps(patched))
    status, card = d.post(f"/api/homecare/people/{person}/card", {"month": MONTH})
    out.append(json.dumps(card))
    return "\n".join(out)


def test_the_home_code_is_shown_once(demo, hc):
    person = hc.people[3]
    before = row(demo, Resident, person)
    status, body = hc.dispatcher.post(f"/api/homecare/people/{person}/home-code", {"code": "90817263"})
    assert status == 201 and body == {"resident_id": person, "code": "90817263", "generated": False}
    after = row(demo, Resident, person)
    assert after["home_code_salt"] != before["home_code_salt"] and len(after["home_code_salt"]) == 32
    assert after["home_code_hash"] == visits.code_hash(after["home_code_salt"], "90817263")
    assert after["seq"] > before["seq"]  # the phones pull the new salt
    shown = _all_replies(hc, person)
    assert "90817263" not in shown and after["home_code_hash"] not in shown and after["home_code_salt"] not in shown
    with demo.app_context():
        log = json.dumps([[a.action, a.object_id, a.detail] for a in AuditEvent.query], ensure_ascii=False)
        db.session.remove()
    assert "90817263" not in log and ["homecare_code_set", str(person), {"generated": False}] in json.loads(log)


def test_a_generated_home_code(demo, hc):
    person = hc.people[4]
    status, body = hc.planner.post(f"/api/homecare/people/{person}/home-code", {})
    assert status == 201 and body["generated"] is True
    code = body["code"]
    assert len(code) == 6 and code.isdigit()
    after = row(demo, Resident, person)
    assert after["home_code_hash"] == visits.code_hash(after["home_code_salt"], code)
    assert f'"{code}"' not in _all_replies(hc, person)
    status, again = hc.planner.post(f"/api/homecare/people/{person}/home-code", {"code": None})
    assert status == 201 and row(demo, Resident, person)["home_code_salt"] != after["home_code_salt"]


def test_a_bad_home_code_is_refused(demo, hc):
    person = hc.people[5]
    before = row(demo, Resident, person)
    for code in ("123", "123456789", "12a4", " 1234", "", 1234, "１２３４"):
        status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/home-code", {"code": code})
        assert status == 400 and fields_of(reply) == {"code"}, (code, reply)
    assert row(demo, Resident, person) == before


# --- the catalogue -----------------------------------------------------------------------------------------------

NEW_SERVICE = {"names": {"ru": "Мытьё окон", "zh_Hans": "擦窗"}, "category": "professional_care", "item": "help_clean",
               "standard_minutes": 45, "price": "12.5", "unit": "visit"}


def test_the_catalogue_with_prices_as_text(demo, hc):
    status, items = hc.dispatcher.get("/api/homecare/catalogue")
    assert status == 200 and len(items) == len(hc.catalogue)
    by_code = {i["item"]: i for i in items}
    assert by_code["help_clean"]["price"] == "40.00" and by_code["home_care"]["price"] == "0.00"
    assert all(isinstance(i["price"], str) and i["active"] for i in items)
    status, made = hc.dispatcher.post("/api/homecare/catalogue", NEW_SERVICE)
    assert status == 201, made
    assert made["price"] == "12.50" and made["names"] == NEW_SERVICE["names"] and made["active"] is True
    first_seq = row(demo, ServiceItem, made["id"])["seq"]
    assert first_seq > 0
    status, big = hc.planner.post("/api/homecare/catalogue", dict(NEW_SERVICE, price="99999999.99"))
    assert status == 201 and big["price"] == "99999999.99"
    assert str(row(demo, ServiceItem, big["id"])["price"]) == "99999999.99"
    status, changed = hc.dispatcher.patch(f"/api/homecare/catalogue/{made['id']}", {"price": "0.1", "active": False})
    assert status == 200 and changed["price"] == "0.10" and changed["active"] is False
    assert row(demo, ServiceItem, made["id"])["seq"] > first_seq
    status, items = hc.dispatcher.get("/api/homecare/catalogue")
    assert {"id": made["id"], "active": False} == {k: v for k, v in next(
        i for i in items if i["id"] == made["id"]).items() if k in ("id", "active")}
    status, active = hc.dispatcher.get("/api/homecare/catalogue?include_inactive=false")
    assert made["id"] not in {i["id"] for i in active} and big["id"] in {i["id"] for i in active}
    assert audited(demo, "service_item_create")[0][1]["price"] == "12.50"
    assert audited(demo, "service_item_update")[-1][1] == {"fields": ["active", "price"], "price": ["12.50", "0.10"]}


SERVICE_REFUSALS = [
    ({"price": 12.5}, "price"), ({"price": "-1"}, "price"), ({"price": "1.234"}, "price"), ({"price": "1e3"}, "price"),
    ({"price": "123456789"}, "price"), ({"names": {}}, "names"), ({"names": {"ru": "  "}}, "names"),
    ({"names": {"de": "Fenster"}}, "names.de"), ({"category": "laundry"}, "category"), ({"item": "gardening"}, "item"),
    ({"item": "home_care", "category": "advisory"}, "item"), ({"unit": "week"}, "unit"),
    ({"standard_minutes": 0}, "standard_minutes"), ({"price": None}, "price"),
]


def test_a_catalogue_service_refused_naming_the_field(demo, hc):
    some = hc.catalogue["help_meal"]
    before = row(demo, ServiceItem, some)
    for change, field in SERVICE_REFUSALS:
        status, reply = hc.dispatcher.post("/api/homecare/catalogue", dict(NEW_SERVICE, **change))
        assert status == 400 and field in fields_of(reply), (change, reply)
        status, reply = hc.dispatcher.patch(f"/api/homecare/catalogue/{some}", change)
        assert status == 400 and field in fields_of(reply), (change, reply)
    assert row(demo, ServiceItem, some) == before
    assert len(hc.dispatcher.get("/api/homecare/catalogue")[1]) == len(hc.catalogue)


def test_another_homes_service_is_not_found(hc):
    assert hc.dispatcher.patch(f"/api/homecare/catalogue/{hc.foreign_service}", {"active": False})[0] == 404
    assert hc.dispatcher.patch("/api/homecare/catalogue/999999", {"active": False})[0] == 404


# --- contracts ---------------------------------------------------------------------------------------------------

def item(hc, code, times=("09:00",), days=None):
    return {"service_item_id": hc.catalogue[code], "schedule_kind": "times", "schedule": {"times": list(times)},
            "days_of_week": days}


def contract_body(hc, **over):
    body = {"starts_on": "2027-01-01", "funding": "ltc_insurance", "monthly_subsidy": "685",
            "intent_signed_on": "2026-12-01", "assessment_signed_on": "2026-12-05",
            "agreement_signed_on": "2026-12-20", "risk_notice_signed_on": "2026-12-20",
            "items": [item(hc, "help_bath", ("15:00",), [3]), item(hc, "help_meal", ("11:30",))]}
    body.update(over)
    return body


def test_contracts_listed_made_ended_and_replaced(demo, hc):
    person = hc.people[6]
    status, listed = hc.dispatcher.get(f"/api/homecare/people/{person}/contracts")
    assert status == 200 and len(listed) == 1
    current = listed[0]
    assert current["ends_on"] is None and current["created_at"].endswith("+00:00")
    assert all(isinstance(i["service"]["price"], str) for i in current["items"])
    # overlapping: refused, naming starts_on (and the other contract's first day)
    status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/contracts", contract_body(hc))
    assert status == 409 and reply["error"] == "contract_overlap" and fields_of(reply) == {"starts_on"}
    assert current["starts_on"] in reply["fields"]["starts_on"]
    # end the current one, then the new one fits
    status, ended = hc.dispatcher.patch(f"/api/homecare/contracts/{current['id']}", {"ends_on": "2026-12-31"})
    assert status == 200 and ended["ends_on"] == "2026-12-31" and ended["items"] == current["items"]
    status, made = hc.dispatcher.post(f"/api/homecare/people/{person}/contracts", contract_body(hc))
    assert status == 201, made
    assert made["monthly_subsidy"] == "685.00" and made["funding"] == "ltc_insurance"
    assert made["risk_notice_signed_on"] == "2026-12-20" and made["ends_on"] is None
    assert [(i["service_item_id"], i["schedule"], i["days_of_week"]) for i in made["items"]] == [
        (hc.catalogue["help_bath"], {"times": ["15:00"]}, [3]), (hc.catalogue["help_meal"], {"times": ["11:30"]}, None)]
    status, listed = hc.dispatcher.get(f"/api/homecare/people/{person}/contracts")
    assert [c["id"] for c in listed] == [made["id"], current["id"]]
    # the current one (today) is still the old one
    status, one = hc.dispatcher.get(f"/api/homecare/people/{person}")
    assert one["contract"]["id"] == current["id"] and one["contract"]["ends_on"] == "2026-12-31"
    # moving the old one's end into the new one's days: refused
    status, reply = hc.dispatcher.patch(f"/api/homecare/contracts/{current['id']}", {"ends_on": None})
    assert status == 409 and fields_of(reply) == {"starts_on"}
    # replace the new one's items
    status, replaced = hc.planner.patch(f"/api/homecare/contracts/{made['id']}", {
        "items": [item(hc, "emotional_comfort", ("16:00",), [2, 5])], "monthly_subsidy": None})
    assert status == 200 and replaced["monthly_subsidy"] is None
    assert [i["service_item_id"] for i in replaced["items"]] == [hc.catalogue["emotional_comfort"]]
    actions = [a for a, in _actions(demo)]
    assert actions.count("contract_create") == 1 and "contract_ended" in actions and "contract_update" in actions
    assert audited(demo, "contract_ended")[0] == (str(current["id"]), {"fields": ["ends_on"], "ends_on": "2026-12-31"})


def _actions(demo):
    with demo.app_context():
        out = [(a.action,) for a in AuditEvent.query.filter(AuditEvent.object_type == "service_contract")]
        db.session.remove()
    return out


CONTRACT_REFUSALS = [
    ({"ends_on": "2026-12-31"}, "ends_on"), ({"funding": "charity"}, "funding"),
    ({"monthly_subsidy": "3,00"}, "monthly_subsidy"), ({"monthly_subsidy": 300}, "monthly_subsidy"),
    ({"starts_on": None}, "starts_on"), ({"intent_signed_on": "1999-12-31"}, "intent_signed_on"),
    ({"items": [{"service_item_id": 999999, "schedule_kind": "as_needed"}]}, "items.0.service_item_id"),
    ({"items": [{"service_item_id": -1, "schedule_kind": "as_needed"}]}, "items.0.service_item_id"),
    ({"items": [{"schedule_kind": "as_needed"}]}, "items.0.service_item_id"),
    ({"items": [{"service_item_id": 1, "schedule_kind": "weekly"}]}, "items.0.schedule_kind"),
    ({"items": [{"service_item_id": 1, "schedule_kind": "times", "schedule": {"times": ["9am"]}}]},
     "items.0.schedule.times"),
    ({"items": [{"service_item_id": 1, "schedule_kind": "as_needed", "days_of_week": [0]}]}, "items.0.days_of_week"),
    ({"items": [{"service_item_id": 1, "schedule_kind": "monthly", "schedule": {}, "days_of_week": [1]}]},
     "items.0.days_of_week"),
]


def test_a_contract_refused_naming_the_field(demo, hc):
    person = hc.people[7]
    [current] = hc.dispatcher.get(f"/api/homecare/people/{person}/contracts")[1]
    hc.dispatcher.patch(f"/api/homecare/contracts/{current['id']}", {"ends_on": "2026-12-31"})
    for over, field in CONTRACT_REFUSALS:
        if field == "ends_on":
            over = {"ends_on": "2026-12-31"}  # before its first day
        status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/contracts", contract_body(hc, **over))
        assert status == 400 and field in fields_of(reply), (over, reply)
        status, reply = hc.dispatcher.patch(f"/api/homecare/contracts/{current['id']}", over)
        if field != "ends_on":  # (its own first day is earlier)
            assert status == 400 and field in fields_of(reply), (over, reply)
    status, listed = hc.dispatcher.get(f"/api/homecare/people/{person}/contracts")
    assert listed == [dict(current, ends_on="2026-12-31")]


def test_a_contract_takes_only_the_homes_active_services(demo, hc):
    person = hc.people[8]
    [current] = hc.dispatcher.get(f"/api/homecare/people/{person}/contracts")[1]
    body = contract_body(hc, items=[item(hc, "help_bath"), {"service_item_id": hc.foreign_service,
                                                            "schedule_kind": "as_needed"}])
    hc.dispatcher.patch(f"/api/homecare/contracts/{current['id']}", {"ends_on": "2026-12-31"})
    status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/contracts", body)
    assert status == 400 and fields_of(reply) == {"items.1.service_item_id"}
    kept = current["items"][0]["service_item_id"]
    status, _ = hc.dispatcher.patch(f"/api/homecare/catalogue/{kept}", {"active": False})
    status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/contracts", contract_body(
        hc, items=[{"service_item_id": kept, "schedule_kind": "as_needed"}]))
    assert status == 400 and fields_of(reply) == {"items.0.service_item_id"}
    # a contract that already has it keeps it when its items are replaced
    status, same = hc.dispatcher.patch(f"/api/homecare/contracts/{current['id']}", {"items": [
        {k: i[k] for k in ("service_item_id", "schedule_kind", "schedule", "days_of_week")} for i in current["items"]]})
    assert status == 200, same


def test_another_homes_or_stations_contract_is_not_found(demo, hc):
    assert hc.dispatcher.patch(f"/api/homecare/contracts/{hc.foreign_contract}", {"ends_on": "2026-12-31"})[0] == 404
    assert hc.dispatcher.post(f"/api/homecare/people/{hc.other_station_person}/contracts",
                              contract_body(hc))[0] == 404
    with demo.app_context():
        theirs = ServiceContract(home_id=hc.home, resident_id=hc.other_station_person, starts_on=date(2026, 1, 1),
                                 funding="self_pay", created_by=1, created_at=date(2026, 1, 1))
        db.session.add(theirs)
        db.session.commit()
        theirs_id = theirs.id
        db.session.remove()
    assert hc.dispatcher.patch(f"/api/homecare/contracts/{theirs_id}", {"ends_on": "2026-12-31"})[0] == 404
    assert hc.dispatcher.post(f"/api/homecare/people/{hc.other_station_person}/card", {"month": MONTH})[0] == 404


# --- the card ----------------------------------------------------------------------------------------------------

def test_the_contract_makes_the_months_card(demo, hc):
    person = hc.people[0]
    [contract] = hc.dispatcher.get(f"/api/homecare/people/{person}/contracts")[1]
    status, card = hc.dispatcher.post(f"/api/homecare/people/{person}/card", {"month": MONTH})
    assert status == 200, card
    assert card["status"] == "draft" and card["month"] == "2026-11-01" and card["resident_id"] == person
    names = {i["service_item_id"]: i["service"]["names"] for i in contract["items"]}
    categories = {hc.catalogue["help_clean"]: "other", hc.catalogue["help_meal"]: "nutrition",
                  hc.catalogue["help_bath"]: "hygiene", hc.catalogue["health_management"]: "vitals",
                  hc.catalogue["emotional_comfort"]: "leisure"}
    assert [(i["service_item_id"], i["schedule_kind"], i["schedule"], i["days_of_week"]) for i in card["items"]] == [
        (c["service_item_id"], c["schedule_kind"], c["schedule"], c["days_of_week"]) for c in contract["items"]]
    for got in card["items"]:
        assert got["title"] == names[got["service_item_id"]]["zh_Hans"]  # the home's language
        assert got["category"] == categories[got["service_item_id"]]
        assert got["valid_from"] is None and got["valid_to"] is None
    # refreshed while a draft: an item added by hand stays, the contract's items follow the contract
    hand = {"category": "other", "title": "Hand-made", "schedule_kind": "as_needed", "schedule": {}}
    status, _ = hc.planner.post(f"/api/cards/{card['id']}/items", hand)
    assert status == 201
    status, again = hc.dispatcher.post(f"/api/homecare/people/{person}/card", {"month": MONTH})
    assert status == 200 and again["id"] == card["id"]
    assert [i["id"] for i in again["items"] if i["service_item_id"]] == [i["id"] for i in card["items"]]
    hc.dispatcher.patch(f"/api/homecare/contracts/{contract['id']}", {"ends_on": "2026-11-20"})
    hc.dispatcher.post(f"/api/homecare/people/{person}/contracts", {
        "starts_on": "2026-11-21", "funding": "self_pay", "items": [item(hc, "help_bath", ("15:00",), [3])]})
    status, refreshed = hc.dispatcher.post(f"/api/homecare/people/{person}/card", {"month": MONTH, "publish": True})
    assert status == 200 and refreshed["status"] == "published"
    got = [(i["service_item_id"], i["valid_from"], i["valid_to"]) for i in refreshed["items"] if i["service_item_id"]]
    assert got == [(c["service_item_id"], None, "2026-11-20") for c in contract["items"]] + [
        (hc.catalogue["help_bath"], "2026-11-21", None)]
    assert "Hand-made" in [i["title"] for i in refreshed["items"]]
    # published: not rewritten
    status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/card", {"month": MONTH})
    assert status == 409 and reply["error"] == "card_published" and fields_of(reply) == {"month"}
    with demo.app_context():
        stored = db.session.get(CareCard, card["id"])
        assert stored.status == "published" and all(i.service_item_id for i in stored.items if i.title != "Hand-made")
        db.session.remove()
    actions = [a for a, _ in audited(demo, "contract_card")]
    assert actions == [str(card["id"])] * 3
    assert audited(demo, "card_publish")[-1][0] == str(card["id"])


def test_a_card_published_at_once_and_the_months_without_contract(demo, hc):
    person = hc.people[1]
    status, card = hc.planner.post(f"/api/homecare/people/{person}/card", {"month": "2026-12", "publish": True})
    assert status == 200 and card["status"] == "published" and len(card["items"]) == 2
    status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/card", {"month": "2026-01"})
    assert status == 409 and reply["error"] == "no_contract" and fields_of(reply) == {"month"}
    for bad in ("2026-13", "2026-1", "26-11", "2026-11-01", 202611):
        status, reply = hc.dispatcher.post(f"/api/homecare/people/{person}/card", {"month": bad})
        assert status == 400 and fields_of(reply) == {"month"}, bad
    with demo.app_context():
        assert CareCard.query.filter_by(resident_id=person).count() == 1
        db.session.remove()


# --- the document ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_routes_keep_to_the_document(hc, app):
    """Schemathesis on this blueprint's operations as the dispatcher of the community home (the whole-API run signs
    in to the care home, where they answer 404): no server error, every reply as documented."""
    status, contracts = hc.dispatcher.get(f"/api/homecare/people/{hc.people[0]}/contracts")
    cookies = {COOKIE: hc.dispatcher.client.get_cookie(COOKIE).value}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    real = {"resident_id": hc.people[0], "service_id": hc.catalogue["help_meal"], "contract_id": contracts[0]["id"]}
    mine = {(s.methods[0], s.rule.replace("<int:", "{").replace(">", "}")) for s in ROUTES
            if s.endpoint.startswith("homecare.")}
    operations = [r.ok() for r in schema.get_all_operations() if (r.ok().method.upper(), r.ok().path) in mine]
    assert mine and len(operations) == len(mine)  # every homecare route is in the document
    failures, _calls = generated_failures(operations, real, cookies)
    assert not failures, "\n\n".join(failures)
