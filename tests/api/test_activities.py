"""The activities API: the catalogue, the timetable with its cancellations and changes, residents' programmes and
their schedules (backend/api/activities.py)."""
from datetime import date, datetime

import pytest

from backend.demo.activities import CATALOGUE, demo_activities
from backend.extensions import db
from backend.models import (Activity, ActivitySession, AuditEvent, Home, ProgrammeItem, Resident, SessionChange,
                            Unit, User)
from backend.services import activities as service
from backend.services import feed

from .conftest import DAY
from ..conftest import LOGINS

WED = date.fromisoformat(DAY)  # 2026-11-25, a Wednesday
ART = {"name": {"ru": "Живопись", "en": "Painting"}, "direction": "cultural_leisure", "mode": "active",
       "format": "group", "place": "Мастерская", "capacity": 8,
       "description": {"ru": "Рисование", "zh_Hans": "", "en": ""}}


@pytest.fixture
def staff(make_api):
    client = make_api()
    client.login(LOGINS.activities1)
    return client


def make_activity(client, **over):
    status, body = client.post("/api/activities/catalogue", dict(ART, **over))
    assert status == 201, body
    return body


def make_weekly(client, activity_id, weekday=3, **over):
    status, body = client.post("/api/activities/sessions", dict(
        {"activity_id": activity_id, "kind": "weekly", "weekday": weekday, "start_time": "10:00",
         "duration_minutes": 60, "valid_from": "2026-11-01"}, **over))
    assert status == 201, body
    return body


def seq_now(app):
    with app.app_context():
        value = feed.high_water(db.session)[0]
        db.session.remove()
    return value


def test_catalogue_crud_and_languages(demo, staff, make_api):
    art = make_activity(staff)
    assert art["name"] == {"ru": "Живопись", "en": "Painting"}
    assert art["description"] == {"ru": "Рисование"} and art["active"] is True
    status, body = staff.patch(f"/api/activities/catalogue/{art['id']}", {"name": {"zh_Hans": "艺术疗法"},
                                                                          "active": False})
    assert status == 200 and body["name"] == {"zh_Hans": "艺术疗法"} and not body["active"]
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    status, listing = nurse.get("/api/activities/catalogue")
    assert status == 200 and [a["id"] for a in listing] == [art["id"]]
    assert nurse.get("/api/activities/catalogue?include_inactive=false")[1] == []
    assert nurse.post("/api/activities/catalogue", ART)[0] == 403
    admin = make_api()
    admin.login(LOGINS.admin1)
    assert admin.post("/api/activities/catalogue", ART)[0] == 201


def test_validation_errors_name_the_field(demo, staff):
    status, body = staff.post("/api/activities/catalogue", {"name": {"ru": "  ", "en": ""}, "direction": "sport",
                                                            "mode": "active", "format": "group", "capacity": 0})
    assert status == 400 and {"direction", "capacity"} <= set(body["fields"])
    status, body = staff.post("/api/activities/catalogue", dict(ART, name={"ru": " "}))
    assert status == 400 and set(body["fields"]) == {"name"}
    status, body = staff.post("/api/activities/catalogue", dict(ART, name={"de": "Kunst"}))
    assert status == 400 and "name.de" in body["fields"]
    art = make_activity(staff)
    status, body = staff.post("/api/activities/sessions", {"activity_id": art["id"], "kind": "event",
                                                           "start_time": "10:00"})
    assert status == 400 and set(body["fields"]) == {"on_date"}
    status, body = staff.post("/api/activities/sessions", {"activity_id": art["id"], "kind": "weekly",
                                                           "start_time": "9:00", "weekday": 8})
    assert status == 400 and {"start_time", "weekday"} <= set(body["fields"])
    status, body = staff.post("/api/activities/sessions", {"activity_id": 999999, "kind": "weekly", "weekday": 1,
                                                           "start_time": "09:00"})
    assert status == 400 and set(body["fields"]) == {"activity_id"}
    assert staff.get("/api/activities/timetable?start=2026-11-30&end=2026-11-01")[1]["fields"].keys() == {"end"}
    assert staff.get("/api/activities/timetable?start=2026-01-01&end=2026-12-31")[0] == 400


def test_timetable_weekly_event_cancel_change_end(app, demo, staff, world):
    art = make_activity(staff)
    weekly = make_weekly(staff, art["id"])
    status, event = staff.post("/api/activities/sessions", {
        "activity_id": art["id"], "kind": "event", "on_date": "2026-11-27", "start_time": "16:30",
        "duration_minutes": 90, "title": {"ru": "Концерт"}, "unit_id": world.unit2})
    assert status == 201 and event["weekday"] is None and event["title"] == {"ru": "Концерт"}
    status, occ = staff.get("/api/activities/timetable?start=2026-11-23&end=2026-12-06")
    assert [(o["date"], o["kind"]) for o in occ] == [("2026-11-25", "weekly"), ("2026-11-27", "event"),
                                                     ("2026-12-02", "weekly")]
    assert occ[0]["name"]["en"] == "Painting" and occ[0]["place"] == "Мастерская" and occ[0]["end_time"] == "11:00"
    unit1 = staff.get(f"/api/activities/timetable?start=2026-11-23&end=2026-12-06&unit_id={world.unit1}")[1]
    assert [o["kind"] for o in unit1] == ["weekly", "weekly"]

    before = seq_now(app)
    status, body = staff.post(f"/api/activities/sessions/{weekly['id']}/changes",
                              {"on_date": "2026-11-25", "cancelled": True, "note": "Ведущая болеет"})
    assert status == 200 and body[0]["cancelled"] and body[0]["note"] == "Ведущая болеет"
    assert seq_now(app) > before
    status, body = staff.post(f"/api/activities/sessions/{weekly['id']}/changes",
                              {"on_date": "2026-12-02", "start_time": "11:15", "place": "Сад"})
    assert status == 200
    occ = staff.get("/api/activities/timetable?start=2026-11-23&end=2026-12-06")[1]
    assert occ[0]["cancelled"] and occ[2]["changed"] and occ[2]["start_time"] == "11:15" and occ[2]["place"] == "Сад"
    # the same day again replaces the change; restore removes it
    staff.post(f"/api/activities/sessions/{weekly['id']}/changes", {"on_date": "2026-11-25", "restore": True})
    assert not staff.get("/api/activities/timetable?start=2026-11-25&end=2026-11-25")[1][0]["cancelled"]
    status, body = staff.post(f"/api/activities/sessions/{weekly['id']}/changes", {"on_date": "2026-11-26",
                                                                                  "cancelled": True})
    assert status == 400 and set(body["fields"]) == {"on_date"}
    status, body = staff.post(f"/api/activities/sessions/{weekly['id']}/changes", {"on_date": "2026-11-25"})
    assert status == 400 and set(body["fields"]) == {"start_time"}

    before = seq_now(app)
    status, body = staff.post(f"/api/activities/sessions/{weekly['id']}/end", {"last_day": "2026-11-30"})
    assert status == 200 and body["valid_to"] == "2026-11-30" and seq_now(app) > before
    occ = staff.get("/api/activities/timetable?start=2026-11-23&end=2026-12-06")[1]
    assert [o["date"] for o in occ] == ["2026-11-25", "2026-11-27"]
    assert staff.post(f"/api/activities/sessions/{event['id']}/end", {})[0] == 400
    assert [s["id"] for s in staff.get("/api/activities/sessions")[1]] == [weekly["id"], event["id"]]
    with app.app_context():
        actions = {a for (a,) in db.session.query(AuditEvent.action)}
        assert {"activity_create", "session_create", "session_cancel", "session_change", "session_restore",
                "session_end"} <= actions
        assert SessionChange.query.count() == 1
        db.session.remove()


def test_programme_and_schedule(app, demo, staff, world):
    art = make_activity(staff)
    massage = make_activity(staff, name={"ru": "Самомассаж"}, direction="medical", mode="passive", format="individual")
    make_weekly(staff, art["id"], weekday=3)
    before = seq_now(app)
    status, line = staff.post("/api/activities/programmes", {"resident_id": world.r1, "activity_id": art["id"],
                                                             "weekdays": [3], "goal": "Мелкая моторика"})
    assert status == 201 and line["valid_from"] == DAY and seq_now(app) > before
    status, line2 = staff.post("/api/activities/programmes", {"resident_id": world.r1, "activity_id": massage["id"],
                                                              "weekdays": [4, 1], "start_time": "10:30"})
    assert status == 201 and line2["weekdays"] == [1, 4]
    status, body = staff.post("/api/activities/programmes", {"resident_id": world.r1, "activity_id": art["id"],
                                                             "weekdays": [9], "start_time": "25:00"})
    assert status == 400 and {"weekdays.0", "start_time"} <= set(body["fields"])
    assert [p["id"] for p in staff.get(f"/api/activities/programmes?resident_id={world.r1}")[1]] == [
        line["id"], line2["id"]]
    status, days = staff.get(f"/api/activities/schedule?resident_id={world.r1}&start=2026-11-25&end=2026-11-26")
    assert status == 200 and [d["date"] for d in days] == ["2026-11-25", "2026-11-26"]
    wed, thu = days[0]["rows"], days[1]["rows"]
    kinds = [r["kind"] for r in wed]
    assert "routine" in kinds and "care" in kinds and kinds.count("activity") == 1
    assert [r["time"] for r in wed] == sorted(r["time"] for r in wed)
    activity = next(r for r in wed if r["kind"] == "activity")
    assert activity["name"]["en"] == "Painting" and activity["goal"] == "Мелкая моторика"
    assert [r["time"] for r in thu if r["kind"] == "activity"] == ["10:30"]
    with app.app_context():  # the family view: nothing medical
        family = service.resident_schedule(world.r1, WED, date(2026, 11, 26), include_care=False)
        db.session.remove()
    assert all(r["kind"] != "care" for d in family for r in d["rows"])
    assert [r.get("goal") for r in family[0]["rows"] if r["kind"] == "activity"] == [None]
    assert [r for r in family[1]["rows"] if r["kind"] == "activity"] == []  # massage: the medical direction
    status, ended = staff.post(f"/api/activities/programmes/{line['id']}/end", {"last_day": "2026-11-25"})
    assert status == 200 and ended["valid_to"] == "2026-11-25"
    status, patched = staff.patch(f"/api/activities/programmes/{line2['id']}", {"goal": "Профилактика", "weekdays": None})
    assert status == 200 and patched["weekdays"] is None and patched["goal"] == "Профилактика"


def test_permissions(demo, staff, make_api, world):
    art = make_activity(staff)
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert nurse.get("/api/activities/timetable?start=2026-11-23&end=2026-11-29")[0] == 200
    assert nurse.get(f"/api/activities/programmes?resident_id={world.r1}")[0] == 403
    assert nurse.get(f"/api/activities/schedule?resident_id={world.r1}&start={DAY}&end={DAY}")[0] == 403
    assert nurse.post("/api/activities/sessions", {"activity_id": art["id"], "kind": "weekly", "weekday": 1,
                                                   "start_time": "09:00"})[0] == 403
    supervisor = make_api()
    supervisor.login(LOGINS.supervisor1)
    assert supervisor.get(f"/api/activities/programmes?resident_id={world.r1}")[0] == 200
    assert supervisor.post("/api/activities/programmes", {"resident_id": world.r1, "activity_id": art["id"]})[0] == 403
    planner = make_api()
    planner.login(LOGINS.planner1)
    assert planner.post("/api/activities/programmes", {"resident_id": world.r1, "activity_id": art["id"]})[0] == 201
    status, people = staff.get("/api/activities/people")
    assert status == 200 and [u["id"] for u in people["units"]] == [world.unit1, world.unit2]
    assert {r["id"] for r in people["residents"]} == {r for unit in world.residents.values() for r in unit}
    assert set(people["residents"][0]) == {"id", "full_name", "room", "bed", "unit_id", "unit_name"}
    assert "activities" in {u["role"] for u in people["staff"]}
    assert nurse.get("/api/activities/people")[0] == 403
    relative = make_api()
    relative.login(LOGINS.relative1)
    for path in ("/api/activities/people", "/api/activities/catalogue", "/api/activities/sessions",
                 f"/api/activities/programmes?resident_id={world.r1}",
                 f"/api/activities/schedule?resident_id={world.r1}&start={DAY}&end={DAY}"):
        assert relative.get(path)[0] == 403, path


def test_other_homes_rows_are_not_found(app, demo, staff, world):
    with app.app_context():
        home = Home(name="Другой дом", timezone="Europe/Moscow", locale="ru")
        db.session.add(home)
        db.session.flush()
        unit = Unit(home_id=home.id, name="Другое")
        db.session.add(unit)
        user = User.query.filter_by(username=LOGINS.activities1).one()
        db.session.flush()
        activity = Activity(home_id=home.id, name={"ru": "Чужое"}, direction="medical", mode="active",
                            format="group", place="")
        db.session.add(activity)
        db.session.flush()
        session = ActivitySession(home_id=home.id, activity_id=activity.id, kind="weekly", weekday=3,
                                  start_time="10:00", duration_minutes=60, valid_from=date(2026, 1, 1))
        db.session.add(session)
        db.session.flush()
        item = ProgrammeItem(resident_id=world.r1, activity_id=activity.id, created_by=user.id,
                             created_at=datetime(2026, 11, 1))
        db.session.add(item)
        db.session.commit()
        ids = activity.id, session.id, unit.id
        db.session.remove()
    activity_id, session_id, unit_id = ids
    assert staff.get("/api/activities/catalogue")[1] == []
    assert staff.get("/api/activities/timetable?start=2026-11-23&end=2026-11-29")[1] == []
    assert staff.patch(f"/api/activities/catalogue/{activity_id}", {"active": False})[0] == 404
    assert staff.post(f"/api/activities/sessions/{session_id}/end", {})[0] == 404
    assert staff.post(f"/api/activities/sessions/{session_id}/changes", {"on_date": DAY, "cancelled": True})[0] == 404
    assert staff.get(f"/api/activities/timetable?start={DAY}&end={DAY}&unit_id={unit_id}")[0] == 404
    status, body = staff.post("/api/activities/programmes", {"resident_id": world.r1, "activity_id": activity_id})
    assert status == 400 and set(body["fields"]) == {"activity_id"}
    assert staff.get("/api/activities/programmes?resident_id=999999")[0] == 404


def test_demo_activities(app, demo):
    with app.app_context():
        home = Home.query.first()
        units = Unit.query.filter_by(home_id=home.id).order_by(Unit.id).all()
        residents = Resident.query.order_by(Resident.id).all()
        staff_user = User.query.filter_by(username=LOGINS.activities1).one()
        counts = demo_activities(db.session, home, units, residents, staff_user, WED)
        db.session.commit()
        assert counts["activities"] == len(CATALOGUE) == Activity.query.count()
        directions = {a.direction for a in Activity.query}
        assert len(directions) == 6
        assert all(set(a.name) == {"ru", "zh_Hans", "en"} for a in Activity.query)
        with_programme = {p.resident_id for p in ProgrammeItem.query}
        assert 0 < len(residents) - len(with_programme) < len(residents) // 4
        occ = service.occurrences_between(home.id, date(2026, 11, 23), date(2026, 11, 29))
        assert sum(o["cancelled"] for o in occ) == 1 and sum(o["changed"] for o in occ) == 1
        assert any(o["kind"] == "event" for o in occ)
        days = service.resident_schedule(residents[0].id, WED, WED, include_care=True)
        assert any(r["kind"] == "activity" for r in days[0]["rows"])
        db.session.remove()
