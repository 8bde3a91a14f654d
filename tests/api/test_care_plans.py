"""The care-plan API: versions, diff, cards generated from the plan, mid-month regeneration that keeps what was
recorded, permissions and audit."""
import copy

import pytest

from backend.extensions import db
from backend.models import AuditEvent, CardItem, Entry, Resident, Unit, User
from backend.services import auth

from .conftest import push
from ..helpers import entry as make_entry
from ..conftest import LOGINS

PERIODICITIES = {
    "twice": {"kind": "times", "times": ["09:00", "18:00"], "days_of_week": None},
    "every2": {"kind": "every_hours", "hours": 2, "start": "06:00", "days_of_week": None},
    "daily": {"kind": "per_shift", "shifts": ["day"], "days_of_week": None},
    "monthu": {"kind": "times", "times": ["10:00"], "days_of_week": [1, 4]},
    "asneeded": {"kind": "as_needed", "days_of_week": None},
}
SECTION_OF = {"twice": 0, "every2": 1, "daily": 1, "monthu": 3, "asneeded": 4}


def content(blank, **overrides):
    c = copy.deepcopy(blank)
    for key, periodicity in PERIODICITIES.items():
        c["sections"][SECTION_OF[key]]["services"].append({
            "id": f"svc-{key}", "name": f"Услуга {key}", "volume": "", "periodicity": copy.deepcopy(periodicity),
            "term": {"from": None, "to": None}, "on_card": True, "category": "hygiene", "instructions": "",
            "measures": None})
    c["sections"][1]["rows"].append({"id": "row-1", "problem": "Риск падений", "goal": "Без падений",
                                     "measures": "Ходунки", "set_on": "2026-11-20", "review_on": "2026-12-20"})
    c["header"]["ippsu"] = {"number": "123", "date": "2026-10-01"}
    return c


@pytest.fixture
def newcomer(demo, world):
    """A resident of unit 1 (post 1) admitted today: no plan and no card yet."""
    with demo.app_context():
        r = Resident(unit_id=world.unit1, post_id=world.post1, full_name="Ершова Н. Н.", room="120", bed="1",
                     care_group=3)
        db.session.add(r)
        db.session.commit()
        return r.id


def planner(make_api):
    client = make_api()
    client.login(LOGINS.planner1)
    return client


def start(make_api, resident_id):
    p = planner(make_api)
    status, plan = p.get(f"/api/care-plans/{resident_id}")
    assert status == 200 and plan["current_version"] == 0 and plan["version"] is None
    status, saved = p.post(f"/api/care-plans/{resident_id}/versions", {"content": content(plan["content"]),
                                                                   "note": "Первая версия"})
    assert status == 201, saved
    return p, saved


def test_a_new_plan_is_blank_with_its_header_prefilled_then_versions_and_diff(demo, world, make_api, newcomer):
    p = planner(make_api)
    status, plan = p.get(f"/api/care-plans/{newcomer}")
    assert [s["id"] for s in plan["content"]["sections"]] == ["communication", "mobility", "nutrition", "vitals",
                                                              "sleep_leisure", "safety"]
    assert plan["content"]["header"]["care_group"] == plan["latest"]["care_group"] == 3
    p, v1 = start(make_api, newcomer)
    assert v1["current_version"] == 1 and v1["version"]["note"] == "Первая версия"
    assert v1["version"]["created_by_name"] == world.names.staff[LOGINS.planner1]
    assert v1["cards"] == []  # no card yet
    changed = copy.deepcopy(v1["content"])
    changed["header"]["fall_risk_points"] = 50
    changed["sections"][0]["services"][0]["periodicity"]["times"] = ["08:00", "20:00"]
    changed["sections"][1]["services"].pop(1)
    status, v2 = p.post(f"/api/care-plans/{newcomer}/versions", {"content": changed, "note": "После падения",
                                                                "base_version": 1})
    assert status == 201 and v2["current_version"] == 2
    assert [c["change"] for c in v2["changes"]] == ["header", "service_changed", "service_removed"]
    status, versions = p.get(f"/api/care-plans/{newcomer}/versions")
    assert [(v["number"], v["note"]) for v in versions] == [(2, "После падения"), (1, "Первая версия")]
    status, old = p.get(f"/api/care-plans/{newcomer}/versions/1")
    assert old["content"] == v1["content"] and old["version"]["number"] == 1
    status, diff = p.get(f"/api/care-plans/{newcomer}/diff?from=1&to=2")
    assert status == 200 and diff["from"] == 1 and diff["to"] == 2
    assert diff["changes"][1] == {"change": "service_changed", "section": "communication", "id": "svc-twice",
                                  "name": "Услуга twice", "fields": [{"field": "periodicity.times",
                                                                      "old": ["09:00", "18:00"],
                                                                      "new": ["08:00", "20:00"]}]}
    status, diff = p.get(f"/api/care-plans/{newcomer}/diff?from=0&to=1")
    assert sum(c["change"] == "service_added" for c in diff["changes"]) == 5
    status, reply = p.post(f"/api/care-plans/{newcomer}/versions", {"content": changed, "base_version": 1})
    assert status == 409 and reply["error"] == "plan_changed"
    assert p.get(f"/api/care-plans/{newcomer}/versions/9")[0] == 404
    assert p.get(f"/api/care-plans/{newcomer}/diff?from=1&to=9")[0] == 404


def test_invalid_content_names_the_path(demo, world, make_api, newcomer):
    p = planner(make_api)
    status, plan = p.get(f"/api/care-plans/{newcomer}")
    bad = content(plan["content"])
    bad["sections"][0]["services"][0]["periodicity"]["times"] = ["9am"]
    bad["sections"][3]["services"][0]["periodicity"]["days_of_week"] = [9]
    status, reply = p.post(f"/api/care-plans/{newcomer}/versions", {"content": bad})
    assert status == 400 and set(reply["fields"]) == {"sections.0.services.0.periodicity.times",
                                                       "sections.3.services.0.periodicity.days_of_week"}
    status, reply = p.post(f"/api/care-plans/{newcomer}/versions", {"content": content(plan["content"]),
                                                                   "effective_day": "2026-11-24"})
    assert status == 400 and "effective_day" in reply["fields"]


def test_generate_review_publish_and_the_tablet_receives_it(demo, world, api, make_api, newcomer):
    p, _v1 = start(make_api, newcomer)
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    status, card = p.post(f"/api/care-plans/{newcomer}/cards", {})
    assert status == 201, card
    assert (card["month"], card["status"]) == ("2026-12-01", "draft") and card["plan_version_id"]
    by_service = {i["plan_service"]: i for i in card["items"]}
    assert set(by_service) == {f"svc-{k}" for k in PERIODICITIES}
    assert by_service["svc-every2"]["schedule"] == {"hours": 2, "start": "06:00"}
    assert by_service["svc-monthu"]["days_of_week"] == [1, 4]
    status, again = p.post(f"/api/care-plans/{newcomer}/cards", {"month": "2026-12-15"})  # a draft: regenerated
    assert status == 201 and {i["id"] for i in again["items"]} == {i["id"] for i in card["items"]}
    # the planner reviews it in the card editor: adds an item by hand and publishes
    status, card = p.post(f"/api/cards/{card['id']}/items", {"category": "other", "title": "Стрижка",
                                                             "schedule_kind": "as_needed", "schedule": {}})
    assert status == 201 and card["items"][-1]["plan_service"] is None
    status, card = p.post(f"/api/cards/{card['id']}/publish", {})
    assert status == 200 and card["status"] == "published"
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert [c["id"] for c in page["cards"]] == [card["id"]]
    status, reply = p.post(f"/api/care-plans/{newcomer}/cards", {"month": "2026-12-01"})
    assert status == 409 and reply["error"] == "exists"
    assert p.post(f"/api/care-plans/{newcomer}/cards", {"month": "2026-10-01"})[0] == 400
    with demo.app_context():
        other = Resident(unit_id=world.unit1, post_id=world.post1, full_name="Без плана", care_group=1)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    assert p.post(f"/api/care-plans/{other_id}/cards", {})[1]["error"] == "no_plan"


def test_a_mid_month_change_regenerates_the_rest_and_keeps_what_was_recorded(demo, world, api, make_api, clock,
                                                                           newcomer):
    p, v1 = start(make_api, newcomer)
    status, card = p.post(f"/api/care-plans/{newcomer}/cards", {})
    status, card = p.post(f"/api/cards/{card['id']}/publish", {})
    items = {i["plan_service"]: i["id"] for i in card["items"]}
    clock.set("2026-12-10T10:00:00+07:00")
    p.login(LOGINS.planner1)  # a new day: a new session
    api.login(LOGINS.nurse1)
    ticks = [make_entry(newcomer, world.nurse1, day="2026-12-09", item_id=items["svc-twice"], slot="09:00"),
             make_entry(newcomer, world.nurse1, day="2026-12-10", item_id=items["svc-twice"], slot="09:00"),
             make_entry(newcomer, world.nurse1, day="2026-12-10", item_id=items["svc-daily"], slot="shift:day")]
    assert [r["status"] for r in push(api, ticks)] == ["accepted"] * 3
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    changed = copy.deepcopy(v1["content"])
    changed["sections"][0]["services"][0]["periodicity"]["times"] = ["08:00", "20:00"]   # changed
    changed["sections"][1]["services"] = [s for s in changed["sections"][1]["services"] if s["id"] != "svc-daily"]
    changed["sections"][2]["services"].append(dict(changed["sections"][0]["services"][0], id="svc-new",
                                                   name="Новая услуга"))
    status, v2 = p.post(f"/api/care-plans/{newcomer}/versions", {"content": changed, "note": "mid-month"})
    assert status == 201, v2
    [summary] = v2["cards"]
    assert (summary["card_id"], summary["effective_day"]) == (card["id"], "2026-12-11")  # tomorrow by default
    assert (summary["kept"], summary["ended"], summary["added"], summary["deleted"]) == (3, 2, 2, 0)
    status, after = p.get(f"/api/cards/{card['id']}")
    assert after["version"] == card["version"] + 1
    rows = {(i["plan_service"], i["valid_from"], i["valid_to"]) for i in after["items"]}
    assert ("svc-twice", None, "2026-12-10") in rows and ("svc-twice", "2026-12-11", None) in rows
    assert ("svc-daily", None, "2026-12-10") in rows and ("svc-new", "2026-12-11", None) in rows
    assert ("svc-every2", None, None) in rows and ("Стрижка" not in rows)
    with demo.app_context():
        stored = {e.id: e.item_id for e in db.session.query(Entry).filter(Entry.id.in_([t["id"] for t in ticks]))}
        assert stored == {t["id"]: t["item_id"] for t in ticks}  # still there, still on the same items
        assert db.session.get(CardItem, items["svc-twice"]).valid_to.isoformat() == "2026-12-10"
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert [(c["id"], c["version"]) for c in page["cards"]] == [(card["id"], after["version"])]
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, view = sup.get(f"/api/units/{world.unit1}/days/2026-12-10")
    row = next(r for r in view["residents"] if r["resident"]["id"] == newcomer)
    cells = {(c["item_id"], c["slot"]) for c in row["cells"]}
    assert (items["svc-twice"], "09:00") in cells and (items["svc-daily"], "shift:day") in cells
    # today's change: an item already ticked today ends today, its new version starts tomorrow
    new_twice = next(i["id"] for i in after["items"] if i["plan_service"] == "svc-twice" and i["valid_from"])
    again = copy.deepcopy(v2["content"])
    again["sections"][1]["services"][0]["periodicity"]["hours"] = 3
    push(api, [make_entry(newcomer, world.nurse1, day="2026-12-10", item_id=items["svc-every2"], slot="08:00")])
    status, v3 = p.post(f"/api/care-plans/{newcomer}/versions", {"content": again, "effective_day": "2026-12-10"})
    assert status == 201 and v3["cards"][0]["effective_day"] == "2026-12-10"
    status, after = p.get(f"/api/cards/{card['id']}")
    every = sorted((i["valid_from"] or "", i["valid_to"] or "") for i in after["items"]
                   if i["plan_service"] == "svc-every2")
    assert every == [("", "2026-12-10"), ("2026-12-11", "")]
    assert new_twice in {i["id"] for i in after["items"]}  # unchanged since v2: kept


def test_permissions_and_audit(demo, world, make_api, newcomer):
    p, _v1 = start(make_api, newcomer)
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    assert sup.get(f"/api/care-plans/{newcomer}")[0] == 200
    assert sup.get(f"/api/care-plans/{newcomer}/diff?from=0&to=1")[0] == 200
    assert sup.post(f"/api/care-plans/{newcomer}/versions", {"content": {}})[0] == 403
    assert sup.post(f"/api/care-plans/{newcomer}/cards", {})[0] == 403
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert nurse.get(f"/api/care-plans/{newcomer}")[0] == 403
    with demo.app_context():
        db.session.add(User(username="supervisor2", password_hash=auth.hash_password("demo"), full_name="S2",
                            role="supervisor", home_id=db.session.get(User, world.supervisor).home_id,
                            units=[db.session.get(Unit, world.unit2)]))
        db.session.commit()
    other = make_api()
    other.login("supervisor2")
    assert other.get(f"/api/care-plans/{newcomer}")[0] == 404  # another unit's resident
    assert other.get(f"/api/care-plans/{world.r2}")[0] == 200
    with demo.app_context():
        actions = [(a.action, (a.detail or {}).get("view")) for a in AuditEvent.query.order_by(AuditEvent.id)
                   if a.action in ("care_plan_save", "read", "refused")]
    assert ("care_plan_save", None) in actions and ("read", "care_plan") in actions
    assert ("read", "care_plan_diff") in actions and ("refused", None) in actions


def test_this_months_card_follows_a_change_from_tomorrow(demo, world, make_api, newcomer):
    p, v1 = start(make_api, newcomer)
    status, card = p.post(f"/api/care-plans/{newcomer}/cards", {"month": "2026-11-01"})  # this month, from today
    assert status == 201 and card["month"] == "2026-11-01"
    assert {i["valid_from"] for i in card["items"]} == {"2026-11-25"}  # admitted today: nothing due before
    status, card = p.post(f"/api/cards/{card['id']}/publish", {})
    changed = copy.deepcopy(v1["content"])
    changed["sections"][0]["services"][0]["periodicity"]["times"] = ["08:00"]
    status, saved = p.post(f"/api/care-plans/{newcomer}/versions", {"content": changed, "note": "позже"})
    assert status == 201 and [(c["card_id"], c["ended"], c["added"]) for c in saved["cards"]] == [(card["id"], 1, 1)]
    status, after = p.get(f"/api/cards/{card['id']}")
    twice = sorted((i["valid_from"] or "", i["valid_to"] or "", i["schedule"]["times"]) for i in after["items"]
                   if i["plan_service"] == "svc-twice")
    assert twice == [("2026-11-25", "2026-11-25", ["09:00", "18:00"]), ("2026-11-26", "", ["08:00"])]
    assert after["version"] == card["version"] + 1 and after["plan_version_id"] != card["plan_version_id"]


def test_a_service_every_ten_days_is_due_on_its_days_and_a_miss_counts_in_completion(demo, world, api, make_api,
                                                                                       clock, newcomer):
    """Issue 17, finding 2: a bath every ten days, scheduled in the plan, is due on its days, shown done for its
    period once recorded, and missed (counted in completion) when its period ends without it."""
    p = planner(make_api)
    status, plan = p.get(f"/api/care-plans/{newcomer}")
    c = copy.deepcopy(plan["content"])
    c["sections"][0]["services"].append({
        "id": "svc-bath", "name": "Гигиеническая ванна", "volume": "", "term": {"from": None, "to": None},
        "periodicity": {"kind": "every_days", "days": 10, "from": "2026-12-02", "days_of_week": None},
        "on_card": True, "category": "hygiene", "instructions": "", "measures": None})
    status, saved = p.post(f"/api/care-plans/{newcomer}/versions", {"content": c, "note": "Ванна"})
    assert status == 201, saved
    assert saved["content"]["sections"][0]["services"][0]["periodicity"] == {
        "kind": "every_days", "days": 10, "from": "2026-12-02", "days_of_week": None}
    status, card = p.post(f"/api/care-plans/{newcomer}/cards", {"month": "2026-12-01"})
    assert status == 201, card
    [item] = card["items"]
    assert (item["schedule_kind"], item["schedule"], item["days_of_week"]) == (
        "every_days", {"days": 10, "from": "2026-12-02"}, None)
    assert p.post(f"/api/cards/{card['id']}/publish", {})[0] == 200

    def day_row(day):
        sup = make_api()
        sup.login(LOGINS.supervisor1)
        status, view = sup.get(f"/api/units/{world.unit1}/days/{day}")
        assert status == 200, view
        return next(r for r in view["residents"] if r["resident"]["id"] == newcomer)

    def cells(day):
        return [(c["slot"], c["state"]) for c in day_row(day)["cells"] if c["item_id"] == item["id"]]

    clock.set("2026-12-01T10:00:00+07:00")
    assert cells("2026-12-01") == []                              # not due before its first day
    clock.set("2026-12-05T10:00:00+07:00")
    assert cells("2026-12-02") == []                              # a past day of an open period: not missed yet
    assert cells("2026-12-05") == [("p:2026-12-02", "due")]       # still offered on the days after
    api.login(LOGINS.nurse1)
    bath = make_entry(newcomer, world.nurse1, day="2026-12-05", item_id=item["id"], slot="p:2026-12-02")
    assert [r["status"] for r in push(api, [bath])] == ["accepted"]
    assert cells("2026-12-05") == [("p:2026-12-02", "done")]

    clock.set("2026-12-11T10:00:00+07:00")
    assert cells("2026-12-11") == []                              # done in its period: not offered again
    assert day_row("2026-12-11")["period_done"] == [{"item_id": item["id"], "slot": "p:2026-12-02",
                                                     "entry_id": bath["id"], "status": "done", "day": "2026-12-05"}]
    # the tablet learns of it though it is older than the pull's two days of history
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    assert status == 200 and bath["id"] in {e["id"] for e in snap["entries"]}
    assert all(e["day"] >= "2026-12-09" or (e["slot"] or "").startswith("p:") for e in snap["entries"])

    clock.set("2026-12-12T10:00:00+07:00")
    assert cells("2026-12-12") == [("p:2026-12-12", "due")]       # the next period: due again
    clock.set("2026-12-23T10:00:00+07:00")
    assert cells("2026-12-21") == [("p:2026-12-12", "missing")]   # ended on the 21st without it
    head = make_api()
    head.login(LOGINS.admin1)
    status, reply = head.get(f"/api/monitoring/month?month=2026-12&unit_id={world.unit1}")
    assert status == 200, reply
    completion = next(f for f in reply["figures"] if f["key"] == "card_completion")
    # the period of the 2nd recorded, that of the 12th missed; that of the 22nd still open
    assert (completion["numerator"], completion["denominator"]) == (1, 2)
    # the paper card: one row, the recording on its day, the miss on the day its period closed
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, sheet = sup.get(f"/api/archive/cards/{card['id']}")
    assert status == 200, sheet
    [row] = [r for r in sheet["rows"] if r["item_id"] == item["id"]]
    assert row["periodic"] and row["schedule_kind"] == "every_days"
    marked = {day: c["state"] for day, c in enumerate(row["cells"], 1) if c["state"] != "not_scheduled"}
    assert marked == {5: "done", 21: "missing", 31: "pending"}
