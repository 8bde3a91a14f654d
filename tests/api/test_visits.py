"""The dispatcher's visits (issue 18, section 3): a week generated from the published cards (idempotent, cancelled
visits not made again), visits added by hand, assigned and reassigned (the history kept), cancelled with a reason,
today's board from real pushed entries, carers' blocks and the follow-up calls. Refusals name their field; another
home's or unit's objects answer 404."""
from datetime import date, datetime

import pytest

from backend.domain import geo, visits as visit_rules
from backend.extensions import db
from backend.models import AuditEvent, CareCard, Device, FollowUpCall, Resident, ServiceItem, Visit, VisitCarer

from .. import factories
from ..conftest import LOGINS
from ..helpers import entry as make_entry
from .conftest import push

TODAY = "2026-11-25"  # the clock's day in the community home's zone (Asia/Shanghai: 11:00 there)
NEXT_MONDAY = "2026-11-30"  # a week across two months: November's card and December's


@pytest.fixture
def cards(demo, community):
    """Published cards made here (no helper makes them from contracts yet): the first person has November's and
    December's, with a 09:00 cleaning (the catalogue's help_clean: its standard minutes), a 09:00 and 15:00 drink
    (no catalogue service: visit_plan's default) and an as-needed item (no visit); the second November's only; the
    third only an as-needed item."""
    with demo.app_context():
        people = [db.session.get(Resident, pid) for pid in community.people[:3]]
        items = {}
        for month in (date(2026, 11, 1), date(2026, 12, 1)):
            card = factories.make_card(people[0], month)
            clean = factories.make_item(card, title="Clean", times=("09:00",))
            clean.service_item_id = community.catalogue["help_clean"]
            drink = factories.make_item(card, title="Drink", times=("09:00", "15:00"))
            factories.make_item(card, title="Check", schedule_kind="as_needed")
            items[month.month] = {"clean": clean.id, "drink": drink.id}
        card = factories.make_card(people[1], date(2026, 11, 1))
        items["second"] = factories.make_item(card, title="Meal", times=("11:30",)).id
        factories.make_card(people[2], date(2026, 11, 1), items=[{"title": "Call", "schedule_kind": "as_needed"}])
        minutes = db.session.get(ServiceItem, community.catalogue["help_clean"]).standard_minutes
        db.session.commit()
        db.session.remove()
    return {"items": items, "clean_minutes": minutes, "people": community.people[:3]}


def dispatcher(make_api):
    client = make_api()
    client.login("dispatch1")
    return client


def generate(client, unit_id, week_start=NEXT_MONDAY):
    return client.post("/api/visits/generate", {"unit_id": unit_id, "week_start": week_start})


def test_a_week_is_generated_once_from_the_published_cards(demo, community, cards, make_api):
    d = dispatcher(make_api)
    status, reply = generate(d, community.station)
    assert status == 200, reply
    first, second, third = cards["people"]
    mine = [v for v in reply["made"] if v["resident_id"] == first]
    assert len(mine) == 14  # 7 days x (09:00, 15:00)
    nine = next(v for v in mine if v["day"] == NEXT_MONDAY and v["start_time"] == "09:00")
    assert nine["planned_minutes"] == cards["clean_minutes"] + 30 and nine["source"] == "plan"
    assert nine["item_ids"] == sorted([cards["items"][11]["clean"], cards["items"][11]["drink"]])
    december = next(v for v in mine if v["day"] == "2026-12-01" and v["start_time"] == "15:00")
    assert december["item_ids"] == [cards["items"][12]["drink"]] and december["planned_minutes"] == 30
    assert [v["day"] for v in reply["made"] if v["resident_id"] == second] == [NEXT_MONDAY]
    assert all(v["carers"] == [] and not v["cancelled"] and v["seq"] > 0 for v in reply["made"])
    assert len({v["seq"] for v in reply["made"]}) == len(reply["made"]) == 15
    reasons = {(s["resident_id"], s["reason"]): s for s in reply["skipped"]}
    assert reasons[(second, "no_card")]["days"] == ["2026-12-0%d" % n for n in range(1, 7)]
    assert (third, "no_timed_items") in reasons
    assert (community.people[3], "no_card") in reasons

    # again: nothing new
    status, again = generate(d, community.station)
    assert status == 200 and again["made"] == []
    assert sum(s["reason"] == "exists" for s in again["skipped"]) == 15
    # a cancelled visit is not made again
    status, _ = d.post(f"/api/visits/{nine['id']}/cancel", {"reason": "in hospital"})
    assert status == 200
    status, third_run = generate(d, community.station)
    assert third_run["made"] == []
    assert [s for s in third_run["skipped"] if s["reason"] == "cancelled"] == [
        {"resident_id": first, "reason": "cancelled", "day": NEXT_MONDAY, "start_time": "09:00"}]
    with demo.app_context():
        assert Visit.query.filter_by(unit_id=community.station).count() == 15
        assert AuditEvent.query.filter_by(action="visits_generate").count() == 3
        db.session.remove()

    # this week: Monday and Tuesday are past, nothing is planned there
    status, now = generate(d, community.station, "2026-11-23")
    assert status == 200
    assert {v["day"] for v in now["made"]} == {"2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"}
    assert {"resident_id": None, "reason": "past", "days": ["2026-11-23", "2026-11-24"]} in now["skipped"]


def test_generation_refusals_name_their_field(demo, world, community, cards, make_api):
    d = dispatcher(make_api)
    status, reply = generate(d, community.station, "2026-12-01")  # a Tuesday
    assert status == 400 and "week_start" in reply["fields"]
    status, reply = d.post("/api/visits/generate", {"unit_id": community.station})
    assert status == 400 and "week_start" in reply["fields"]
    assert generate(d, world.unit1)[0] == 404  # not her unit
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    assert generate(supervisor, community.station)[0] == 404  # another home's station
    status, reply = generate(supervisor, world.unit1)  # a care home's unit is no station
    assert status == 400 and "unit_id" in reply["fields"]
    nurse = make_api()
    nurse.login("carer1")
    assert generate(nurse, community.station)[0] == 403


def add_visit(client, resident_id, start_time="09:00", day=TODAY, minutes=60, item_ids=(), source="ad_hoc"):
    status, reply = client.post("/api/visits", {"resident_id": resident_id, "day": day, "start_time": start_time,
                                                "planned_minutes": minutes, "item_ids": list(item_ids),
                                                "source": source})
    return status, reply


def test_visits_added_by_hand_and_listed(demo, world, community, cards, make_api):
    d = dispatcher(make_api)
    first = cards["people"][0]
    status, visit = add_visit(d, first, "10:00", item_ids=[cards["items"][11]["clean"]], source="alarm")
    assert status == 201, visit
    assert visit["source"] == "alarm" and visit["person"]["id"] == first and visit["items"][0]["title"] == "Clean"
    assert visit["created_at"].endswith("+08:00")
    cases = [({"source": "plan"}, "source"), ({"start_time": "25:00"}, "start_time"),
             ({"item_ids": [cards["items"][12]["clean"]]}, "item_ids"),  # December's item on a November day
             ({"item_ids": [cards["items"]["second"]]}, "item_ids"),  # another person's
             ({"minutes": 0}, "planned_minutes")]
    for change, field in cases:
        args = {"item_ids": (), "source": "ad_hoc"} | change
        status, reply = add_visit(d, first, **args)
        assert status == 400 and field in reply["fields"], (change, reply)
    assert add_visit(d, world.r1)[0] == 404  # a care home's resident
    status, week = d.get(f"/api/visits?unit_id={community.station}&from=2026-11-23&to=2026-11-29")
    assert status == 200 and [v["id"] for v in week] == [visit["id"]]
    assert week[0]["person"]["address"]
    status, reply = d.get(f"/api/visits?unit_id={community.station}&from=2026-11-29&to=2026-11-23")
    assert status == 400 and "to" in reply["fields"]
    assert d.get(f"/api/visits?unit_id={world.unit1}&from=2026-11-23&to=2026-11-29")[0] == 404


def test_assignment_and_reassignment_keep_their_history(demo, world, community, cards, make_api):
    d = dispatcher(make_api)
    carer1, carer2 = community.staff["carer1"], community.staff["carer2"]
    _, visit = add_visit(d, cards["people"][0], "16:00")
    status, one = d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1]})
    assert status == 200 and [c["id"] for c in one["carers"]] == [carer1] and one["seq"] > visit["seq"]
    status, two = d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer2, carer1]})
    assert status == 200 and {c["id"] for c in two["carers"]} == {carer1, carer2} and two["seq"] > one["seq"]
    status, three = d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer2]})
    assert [c["id"] for c in three["carers"]] == [carer2]
    history = [(a["carer_id"], a["unassigned_at"] is not None) for a in three["assignments"]]
    assert history == [(carer1, True), (carer2, False)]
    assert three["assignments"][0]["unassigned_at"].endswith("+08:00")
    same = d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer2]})[1]
    assert same["seq"] == three["seq"]  # nothing changed, nothing written
    with demo.app_context():
        assert VisitCarer.query.filter_by(visit_id=visit["id"]).count() == 2
        assert AuditEvent.query.filter_by(action="visit_assign").count() == 3
        db.session.remove()

    refusals = [[community.staff["cplanner1"]], [carer1, carer1], [carer1, carer2, world.nurse1],
                [world.nurse1], [], [carer1, carer2, carer1, carer2]]
    for ids in refusals:
        status, reply = d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": ids})
        assert status == 400 and "carer_ids" in reply["fields"], (ids, reply)
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    assert supervisor.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [world.nurse1]})[0] == 404
    assert d.post("/api/visits/999999/assign", {"carer_ids": [carer1]})[0] == 404

    status, reply = d.post(f"/api/visits/{visit['id']}/cancel", {"reason": "  "})
    assert status == 400 and "reason" in reply["fields"]
    status, reply = d.post(f"/api/visits/{visit['id']}/cancel", {})
    assert status == 400 and "reason" in reply["fields"]
    assert supervisor.post(f"/api/visits/{visit['id']}/cancel", {"reason": "x"})[0] == 404
    status, cancelled = d.post(f"/api/visits/{visit['id']}/cancel", {"reason": "she went to her daughter"})
    assert status == 200 and cancelled["cancelled"] and cancelled["cancel_reason"] == "she went to her daughter"
    assert cancelled["cancelled_by"] == community.staff["dispatch1"] and cancelled["cancelled_at"].endswith("+08:00")
    assert cancelled["seq"] > three["seq"]
    assert d.post(f"/api/visits/{visit['id']}/cancel", {"reason": "again"})[1]["error"] == "visit_cancelled"
    assert d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1]})[0] == 409


def test_carers_blocks(demo, world, community, cards, make_api):
    d = dispatcher(make_api)
    carer1 = community.staff["carer1"]
    status, listed = d.get(f"/api/homecare/carers?unit_id={community.station}")
    assert status == 200
    assert {c["id"] for c in listed} == {carer1, community.staff["carer2"]} and not any(c["blocked"] for c in listed)
    _, visit = add_visit(d, cards["people"][0], "16:00")
    d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1]})
    status, reply = d.post(f"/api/homecare/carers/{carer1}/block", {"reason": ""})
    assert status == 400 and "reason" in reply["fields"]
    status, blocked = d.post(f"/api/homecare/carers/{carer1}/block", {"reason": "took money from a client"})
    assert status == 200 and blocked["blocked"] and blocked["block"]["reason"] == "took money from a client"
    assert blocked["block"]["blocked_at"].endswith("+08:00") and blocked["upcoming_visit_ids"] == [visit["id"]]
    assert d.post(f"/api/homecare/carers/{carer1}/block", {"reason": "again"})[1]["error"] == "already_blocked"
    status, reply = d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1]})
    assert status == 400 and "carer_ids" in reply["fields"]
    listed = d.get(f"/api/homecare/carers?unit_id={community.station}")[1]
    assert [c["blocked"] for c in listed if c["id"] == carer1] == [True]
    status, lifted = d.post(f"/api/homecare/carers/{carer1}/unblock", {})
    assert status == 200 and not lifted["blocked"]
    assert d.post(f"/api/homecare/carers/{carer1}/unblock", {})[1]["error"] == "not_blocked"
    assert d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1]})[0] == 200
    # another home's nurse, the station's planner, nobody: 404
    for other in (world.nurse1, community.staff["cplanner1"], 999999):
        assert d.post(f"/api/homecare/carers/{other}/block", {"reason": "x"})[0] == 404
    assert d.get(f"/api/homecare/carers?unit_id={world.unit1}")[0] == 404
    with demo.app_context():
        actions = [a.action for a in AuditEvent.query.filter(AuditEvent.action.like("carer_%"))]
        assert actions == ["carer_block", "carer_unblock"]
        db.session.remove()


# --- the board, from real pushed entries ----------------------------------------------------------------------

def at(hhmm, day=TODAY):
    return f"{day}T{hhmm}:00+08:00"


def visit_entry(person, author, visit_id, status, hhmm, **values):
    fields = {"values": {"visit_id": visit_id, **values}, "status": status, "device_time": at(hhmm)}
    if "reason" in values:
        fields["reason"] = fields["values"].pop("reason")
    return make_entry(person, author, day=TODAY, kind="visit", device_id="phone-1", **fields)


def test_the_board_tells_each_state_from_pushed_entries(demo, community, cards, make_api, clock):
    d = dispatcher(make_api)
    carer1, carer2 = community.staff["carer1"], community.staff["carer2"]
    people = community.people
    clean = cards["items"][11]["clean"]
    plan = {  # name: (person, start, minutes, carers, items)
        "left": (people[0], "09:00", 60, [carer1], [clean]),
        "arrived": (people[3], "10:30", 60, [carer1], []),
        "no_access": (people[4], "10:00", 30, [carer1], []),
        "late": (people[5], "10:30", 30, [carer1], []),
        "silent": (people[6], "10:30", 30, [carer2], []),
        "missed": (people[7], "08:00", 30, [carer1], []),
        "planned": (people[8], "15:00", 30, [carer2], []),
        "on_phone": (people[9], "16:00", 30, [carer1], []),
        "cancelled": (people[10], "17:00", 30, [carer1], []),
    }
    ids = {}
    for name, (person, start, minutes, carers, items) in plan.items():
        status, visit = add_visit(d, person, start, minutes=minutes, item_ids=items)
        assert status == 201, visit
        d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": carers})
        ids[name] = visit["id"]
    d.post(f"/api/visits/{ids['cancelled']}/cancel", {"reason": "she asked"})

    with demo.app_context():
        home = db.session.get(Resident, people[0])
        home_at = (home.lat, home.lon)
        db.session.remove()
    phone = make_api()
    phone.login("carer1", device_id="phone-1")
    fix = {"presence": "fix", "lat": geo.round_fix(home_at[0]), "lon": geo.round_fix(home_at[1]), "accuracy_m": 10}
    entries = [
        visit_entry(people[0], carer1, ids["left"], "arrived", "09:01", **fix),
        make_entry(people[0], carer1, day=TODAY, device_id="phone-1", item_id=clean, slot="09:00",
                   device_time=at("09:20")),
        visit_entry(people[0], carer1, ids["left"], "left", "10:00", **dict(fix, confirmed_by="person")),
        visit_entry(people[3], carer1, ids["arrived"], "arrived", "10:35", presence="none",
                    presence_reason="denied"),
        visit_entry(people[4], carer1, ids["no_access"], "no_access", "10:05", reason="not_home"),
    ]
    results = push(phone, entries, device_id="phone-1", device_now=at("11:00"))
    assert [r["status"] for r in results] == ["accepted"] * 5, results
    with demo.app_context():
        # carer1's phone pulled after every change (now); carer2's pulled at 08:00, before her 10:30 visit
        device = db.session.get(Device, "phone-1")
        device.last_pull_at = datetime(2026, 11, 25, 3, 0)
        db.session.add(Device(id="phone-2", home_id=community.home, first_seen=datetime(2026, 11, 20),
                              last_seen=datetime(2026, 11, 25), last_pull_at=datetime(2026, 11, 25, 0, 0),
                              last_user_id=carer2))
        db.session.commit()
        db.session.remove()

    status, board = d.get(f"/api/visits/board?unit_id={community.station}&day={TODAY}")
    assert status == 200, board
    by_id = {v["id"]: v for v in board["visits"]}
    states = {name: by_id[ids[name]]["state"] for name in ids}
    assert states == {"left": "left", "arrived": "arrived", "no_access": "no_access", "late": "late",
                      "silent": "phone_silent", "missed": "missed", "planned": "planned", "on_phone": "on_phone",
                      "cancelled": "cancelled"}
    assert board["counts"] == {"planned": 1, "on_phone": 1, "arrived": 1, "left": 1, "no_access": 1, "late": 1,
                               "phone_silent": 1, "missed": 1, "cancelled": 1}
    left = by_id[ids["left"]]
    assert left["verification"] == {"verified": True, "missing": []} and left["since"] == at("10:00")
    assert left["items_done"] == [clean] and [e["status"] for e in left["events"]] == ["arrived", "left"]
    assert all(e["signed"] for e in left["events"])
    arrived = by_id[ids["arrived"]]
    assert "no_location" in arrived["flags"]
    assert set(arrived["verification"]["missing"]) >= {"service", "location", "times"}
    silent = by_id[ids["silent"]]
    assert silent["since"] == "2026-11-25T08:00:00+08:00" and silent["carer_last_sync"] == silent["since"]
    assert by_id[ids["late"]]["since"] == at("10:45")
    assert by_id[ids["missed"]]["since"] == at("09:30")
    assert by_id[ids["on_phone"]]["pulled_at"] == at("11:00")
    assert by_id[ids["planned"]]["pulled_at"] is None  # carer2's pull was before its assignment
    assert board["now"] == at("11:00")

    # reassigned after the arrival: the entries stay, the board shows what they say
    status, _ = d.post(f"/api/visits/{ids['arrived']}/assign", {"carer_ids": [carer2]})
    assert status == 200
    board = d.get(f"/api/visits/board?unit_id={community.station}&day={TODAY}")[1]
    moved = next(v for v in board["visits"] if v["id"] == ids["arrived"])
    assert moved["state"] == "arrived" and len(moved["events"]) == 1
    assert "carer" in moved["verification"]["missing"]  # her arrival is no longer an assigned carer's

    assert d.get(f"/api/visits/board?unit_id=999999&day={TODAY}")[0] == 404
    status, reply = d.get(f"/api/visits/board?unit_id={community.station}&day=someday")
    assert status == 400 and "day" in reply["fields"]

    # follow-up calls: the one finished visit of the week is the sample
    status, calls = d.get(f"/api/visits/follow-ups?unit_id={community.station}&week_start=2026-11-23")
    assert status == 200 and calls["finished"] == 1 and calls["sample_size"] == 1
    assert [v["id"] for v in calls["visits"]] == [ids["left"]] and calls["visits"][0]["result"] is None
    status, reply = d.post(f"/api/visits/{ids['left']}/follow-up", {"result": "maybe"})
    assert status == 400 and "result" in reply["fields"]
    status, reply = d.post(f"/api/visits/{ids['late']}/follow-up", {"result": "confirmed"})
    assert status == 400 and "visit_id" in reply["fields"]  # not finished
    status, call = d.post(f"/api/visits/{ids['left']}/follow-up", {"result": "unreachable"})
    assert status == 201 and call["called_at"].endswith("+08:00")
    status, call = d.post(f"/api/visits/{ids['left']}/follow-up", {"result": "confirmed", "note": "her son"})
    assert status == 201
    calls = d.get(f"/api/visits/follow-ups?unit_id={community.station}&week_start=2026-11-23")[1]
    assert calls["visits"][0]["result"] == "confirmed" and len(calls["visits"][0]["calls"]) == 2
    status, reply = d.get(f"/api/visits/follow-ups?unit_id={community.station}&week_start=2026-11-24")
    assert status == 400 and "week_start" in reply["fields"]
    with demo.app_context():
        assert FollowUpCall.query.count() == 2
        assert AuditEvent.query.filter_by(action="follow_up_call").count() == 2
        db.session.remove()


def test_the_board_of_a_team_visit_waits_for_every_phone(demo, community, cards, make_api):
    d = dispatcher(make_api)
    carer1, carer2 = community.staff["carer1"], community.staff["carer2"]
    _, visit = add_visit(d, community.people[0], "16:00")
    d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1, carer2]})
    with demo.app_context():
        db.session.add(Device(id="phone-1", home_id=community.home, first_seen=datetime(2026, 11, 20),
                              last_seen=datetime(2026, 11, 25, 3), last_pull_at=datetime(2026, 11, 25, 3, 0),
                              last_user_id=carer1))
        db.session.commit()
        db.session.remove()
    row = d.get(f"/api/visits/board?unit_id={community.station}&day={TODAY}")[1]["visits"][0]
    assert row["state"] == "planned" and row["pulled_at"] is None
    with demo.app_context():
        db.session.add(Device(id="phone-2", home_id=community.home, first_seen=datetime(2026, 11, 20),
                              last_seen=datetime(2026, 11, 25, 3), last_pull_at=datetime(2026, 11, 25, 3, 0),
                              last_user_id=carer2))
        db.session.commit()
        db.session.remove()
    row = d.get(f"/api/visits/board?unit_id={community.station}&day={TODAY}")[1]["visits"][0]
    assert row["state"] == "on_phone" and row["since"] == at("11:00")


def test_cards_fixture_is_published(demo, cards):
    with demo.app_context():
        assert {c.status for c in CareCard.query.filter(CareCard.resident_id.in_(cards["people"]))} == {"published"}
        db.session.remove()
    assert visit_rules.KIND == "visit"


def test_the_station_head_accepts_the_carers_reason_for_no_location(demo, world, community, cards, make_api):
    d = dispatcher(make_api)
    carer1 = community.staff["carer1"]
    people = community.people
    ids = {}
    for name, person in (("none", people[3]), ("fix", people[0]), ("nothing", people[4])):
        status, visit = add_visit(d, person, "09:00", minutes=60)
        assert status == 201, visit
        assert visit["location_accepted"] is False and visit["location_accepted_at"] is None
        d.post(f"/api/visits/{visit['id']}/assign", {"carer_ids": [carer1]})
        ids[name] = visit["id"]
    with demo.app_context():
        home = db.session.get(Resident, people[0])
        fix = {"presence": "fix", "lat": geo.round_fix(home.lat), "lon": geo.round_fix(home.lon), "accuracy_m": 10}
        db.session.remove()
    phone = make_api()
    phone.login("carer1", device_id="phone-1")
    none = {"presence": "none", "presence_reason": "denied"}
    entries = [
        visit_entry(people[3], carer1, ids["none"], "arrived", "09:01", **none),
        visit_entry(people[3], carer1, ids["none"], "left", "10:00", **dict(none, confirmed_by="person")),
        visit_entry(people[0], carer1, ids["fix"], "arrived", "09:01", **fix),
        visit_entry(people[0], carer1, ids["fix"], "left", "10:00", **dict(fix, confirmed_by="person")),
    ]
    results = push(phone, entries, device_id="phone-1", device_now=at("11:00"))
    assert [r["status"] for r in results] == ["accepted"] * 4, results

    def row(visit_id):
        board = d.get(f"/api/visits/board?unit_id={community.station}&day={TODAY}")[1]
        return next(v for v in board["visits"] if v["id"] == visit_id)

    before = row(ids["none"])
    assert "location" in before["verification"]["missing"] and before["location_acceptable"] is True
    assert row(ids["fix"])["location_acceptable"] is False and row(ids["nothing"])["location_acceptable"] is False
    path = f"/api/visits/{ids['none']}/accept-location"
    for body in ({}, {"reason": "no"}, {"reason": "x" * 501}, {"reason": "   "}):
        status, reply = d.post(path, body)
        assert status == 400 and "reason" in reply["fields"], (body, reply)
    nurse = make_api()
    nurse.login("carer1")
    assert nurse.post(path, {"reason": "she says so"})[0] == 403
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    assert supervisor.post(path, {"reason": "another home"})[0] == 404  # another home's visit
    assert d.post("/api/visits/999999/accept-location", {"reason": "no such visit"})[0] == 404

    status, visit = d.post(path, {"reason": "  GPS denied on her phone; the person confirmed by phone  "})
    assert status == 200, visit
    assert visit["location_accepted"] is True and visit["location_accepted_at"].endswith("+08:00")
    assert visit["location_accepted_by"] == community.staff["dispatch1"]
    assert visit["location_accepted_by_name"]
    assert visit["location_accepted_reason"] == "GPS denied on her phone; the person confirmed by phone"
    assert visit["seq"] > before["seq"]
    after = row(ids["none"])
    assert "location" not in after["verification"]["missing"] and after["location_acceptable"] is False
    assert after["location_accepted_reason"] == visit["location_accepted_reason"]
    week = d.get(f"/api/visits?unit_id={community.station}&from=2026-11-23&to=2026-11-29")[1]
    assert next(v for v in week if v["id"] == ids["none"])["location_accepted_at"] == visit["location_accepted_at"]

    for visit_id in (ids["none"], ids["fix"], ids["nothing"]):  # again; a good fix; no arrival nor departure
        status, reply = d.post(f"/api/visits/{visit_id}/accept-location", {"reason": "accept it"})
        assert status == 409 and "visit_id" in reply["fields"], (visit_id, reply)
    with demo.app_context():
        assert AuditEvent.query.filter_by(action="visit_accept_location").count() == 1
        assert db.session.get(Visit, ids["fix"]).location_accepted_at is None
        db.session.remove()
