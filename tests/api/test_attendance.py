"""Attendance through the API: pushed exactly once (replays are duplicates), who may mark it, other homes refused,
the tablet's pull, the day's sessions with who is expected, the residents without activity for seven days."""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from backend.extensions import db
from backend.models import (Activity, ActivitySession, Entry, Home, ProgrammeItem, Resident, SessionChange, Unit,
                            User, UserUnit)
from backend.services import feed

from ..helpers import entry as make_entry
from .conftest import DAY, push
from ..conftest import LOGINS

TODAY = date.fromisoformat(DAY)  # a Wednesday


def _add(s, row):
    row.seq = feed.allocate(s, 1)
    s.add(row)
    s.flush()
    return row


@pytest.fixture
def att(demo, world):
    """Two activities of the demo home (a weekly group session on Wednesdays for the whole home, and an individual
    one), a programme line for the first two residents of unit 1, and an activity of another home."""
    with demo.app_context():
        s = db.session
        home_id = db.session.get(Unit, world.unit1).home_id
        staff = User.query.filter_by(username=LOGINS.activities1).one()
        now = datetime(2026, 11, 20, 9, 0)
        art = _add(s, Activity(home_id=home_id, name={"ru": "Живопись", "zh_Hans": "艺术疗法", "en": "Painting"},
                               direction="cultural_leisure", mode="active", format="group", place="Hall"))
        walk = _add(s, Activity(home_id=home_id, name={"ru": "Прогулка", "zh_Hans": "散步", "en": "Walk"},
                                direction="physical_health", mode="active", format="individual", place="Garden"))
        weekly = _add(s, ActivitySession(home_id=home_id, activity_id=art.id, kind="weekly", weekday=3,
                                         start_time="11:00", duration_minutes=45))
        r_a, r_b = world.residents[world.unit1][:2]
        for rid in (r_a, r_b):
            _add(s, ProgrammeItem(resident_id=rid, activity_id=art.id, weekdays=[3], goal="joy",
                                  created_by=staff.id, created_at=now))
        _add(s, ProgrammeItem(resident_id=r_a, activity_id=walk.id, weekdays=None, start_time="16:00", goal="steps",
                              created_by=staff.id, created_at=now))
        other_home = Home(name="Other", timezone="Asia/Krasnoyarsk")
        s.add(other_home)
        s.flush()
        foreign = _add(s, Activity(home_id=other_home.id, name={"en": "Choir"}, direction="cultural_leisure",
                                   mode="active", format="group", place=""))
        foreign_session = _add(s, ActivitySession(home_id=other_home.id, activity_id=foreign.id, kind="weekly",
                                                  weekday=3, start_time="11:00", duration_minutes=45))
        s.commit()
        ns = SimpleNamespace(art=art.id, walk=walk.id, weekly=weekly.id, foreign=foreign.id,
                             foreign_session=foreign_session.id, activities1=staff.id, r_a=r_a, r_b=r_b,
                             planner=User.query.filter_by(username=LOGINS.planner1).one().id)
        db.session.remove()
    return ns


def mark(author_id, resident_id, session_id, activity_id, day=DAY, status="active", **fields):
    return make_entry(resident_id, author_id, day=day, kind="attendance", status=status, device_id="tab-1",
                      values={"session_id": session_id, "activity_id": activity_id, "minutes": fields.pop("minutes", 45)},
                      device_time=f"{day}T11:50:00+07:00", **fields)


def stored(demo, **filters):
    with demo.app_context():
        n = Entry.query.filter_by(kind="attendance", **filters).count()
        db.session.remove()
    return n


def test_a_group_session_is_stored_exactly_once_and_replays_are_duplicates(api, demo, world, att):
    api.login(LOGINS.activities1)
    batch = [mark(att.activities1, att.r_a, att.weekly, att.art),
             mark(att.activities1, att.r_b, att.weekly, att.art, status="passive", minutes=None),
             mark(att.activities1, world.residents[world.unit2][0], att.weekly, att.art, status="absent",
                  reason="visit", minutes=None)]
    results = push(api, batch)
    assert [r["status"] for r in results] == ["accepted"] * 3
    assert [r["late"] for r in results] == [False] * 3
    assert [r["status"] for r in push(api, batch)] == ["duplicate"] * 3   # the answer was lost: a retry
    assert [r["status"] for r in push(api, batch[1:] + batch[:1])] == ["duplicate"] * 3
    assert stored(demo) == 3
    changed = dict(batch[0], status="refused")
    changed.pop("sig")
    assert push(api, [changed])[0]["reason"] == "id_conflict"
    assert stored(demo) == 3


def test_an_individual_activity_outside_the_timetable(api, demo, att):
    api.login(LOGINS.activities1)
    r = push(api, [mark(att.activities1, att.r_a, None, att.walk, minutes=30)])[0]
    assert r["status"] == "accepted", r


def test_refusals_name_the_field(api, demo, world, att):
    api.login(LOGINS.activities1)
    cases = [
        (mark(att.activities1, att.r_a, att.weekly, att.art, status="absent", minutes=None), "invalid", "reason"),
        (mark(att.activities1, att.r_a, att.weekly, att.art, status="absent", reason="other", minutes=None),
         "invalid", "note"),
        (mark(att.activities1, att.r_a, att.weekly, att.art, minutes=0), "invalid", "values.minutes"),
        (mark(att.activities1, att.r_a, att.foreign_session, att.foreign), "unknown_activity", "values.activity_id"),
        (mark(att.activities1, att.r_a, att.foreign_session, att.art), "unknown_activity", "values.session_id"),
        (mark(att.activities1, att.r_a, att.weekly, att.art, day="2026-11-24"), "invalid", "day"),
        (mark(att.activities1, 10**6, att.weekly, att.art), "unknown_resident", "resident_id"),
    ]
    results = push(api, [e for e, _, _ in cases])
    for (_, reason, field), r in zip(cases, results):
        assert (r["status"], r["reason"]) == ("rejected", reason), r
        assert field in r["fields"], r
    assert stored(demo) == 0


def test_who_may_mark_attendance(api, make_api, demo, world, att):
    """Activity staff, supervisors and planners mark attendance; a nurse does not (she ticks the card)."""
    for username in (LOGINS.supervisor1, LOGINS.planner1, LOGINS.nurse1):
        api.login(username)
    nurse = mark(world.nurse1, att.r_a, att.weekly, att.art)
    supervisor = mark(world.supervisor, att.r_b, att.weekly, att.art)
    planner = mark(att.planner, att.r_a, att.weekly, att.art)
    results = push(api, [nurse, supervisor, planner])
    assert [(r["status"], r["reason"]) for r in results] == [("rejected", "not_permitted"), ("accepted", None),
                                                             ("accepted", None)]


def test_activity_staff_fill_a_residents_questionnaire_but_no_clinical_form(api, demo, world, att):
    api.login(LOGINS.activities1)
    answers = {q: "satisfied" for q in ("room", "care", "food", "activities", "staff", "safety", "family",
                                        "overall")}
    survey = make_entry(att.r_a, att.activities1, kind="assessment", category="satisfaction_resident",
                        values=answers)
    mmse = make_entry(att.r_a, att.activities1, kind="assessment", category="mmse", values={})
    tick = make_entry(att.r_a, att.activities1, item_id=world.toilet, slot="07:30")
    results = push(api, [survey, mmse, tick])
    assert results[0]["status"] == "accepted", results[0]
    assert results[0]["score"]["band"] == "satisfied"
    assert [(r["status"], r["reason"]) for r in results[1:]] == [("rejected", "not_permitted")] * 2


def test_the_routes_are_for_attendance_recorders_of_this_home(api, make_api, demo, world, att):
    for username in (LOGINS.nurse1, LOGINS.relative1, LOGINS.admin1):
        client = make_api()
        client.login(username)
        for path in ("/api/attendance/day", "/api/attendance/idle", "/api/attendance/pull"):
            status, _ = client.get(path)
            assert status == 403, (username, path)
    api.login(LOGINS.activities1)
    assert api.get(f"/api/attendance/idle?unit_id={10**6}")[0] == 404


def test_the_day_shows_expected_residents_and_the_attendance_that_stands(api, demo, world, att):
    api.login(LOGINS.activities1)
    first = mark(att.activities1, att.r_a, att.weekly, att.art, status="absent", reason="asleep", minutes=None)
    push(api, [first])
    fix = mark(att.activities1, att.r_a, att.weekly, att.art, status="active", supersedes=first["id"])
    other = mark(att.activities1, world.residents[world.unit2][1], att.weekly, att.art, status="passive")
    assert [r["status"] for r in push(api, [fix, other])] == ["accepted", "accepted"]
    status, day = api.get(f"/api/attendance/day?day={DAY}")
    assert status == 200, day
    [session] = [s for s in day["sessions"] if s["session_id"] == att.weekly]
    assert session["expected"] == sorted([att.r_a, att.r_b])
    assert session["activity"]["name"]["en"] == "Painting" and not session["cancelled"]
    assert sorted((e["resident_id"], e["status"]) for e in session["attendance"]) == sorted(
        [(att.r_a, "active"), (world.residents[world.unit2][1], "passive")])
    [walk] = day["individual"]
    assert (walk["resident_id"], walk["start_time"], walk["attendance"]) == (att.r_a, "16:00", None)
    # unit 2 only: the session is for the whole home, nobody of unit 2 has a programme line for it
    status, unit2 = api.get(f"/api/attendance/day?day={DAY}&unit_id={world.unit2}")
    assert [s["expected"] for s in unit2["sessions"] if s["session_id"] == att.weekly] == [[]]
    assert {r["unit_id"] for r in unit2["residents"]} == {world.unit2}


def test_a_cancelled_occurrence_is_shown_cancelled(api, demo, world, att):
    with demo.app_context():
        _add(db.session, SessionChange(session_id=att.weekly, on_date=TODAY, cancelled=True, note="flu",
                                       changed_by=att.activities1, changed_at=datetime(2026, 11, 24)))
        db.session.commit()
    api.login(LOGINS.activities1)
    _, day = api.get(f"/api/attendance/day?day={DAY}")
    [session] = [s for s in day["sessions"] if s["session_id"] == att.weekly]
    assert (session["cancelled"], session["note"]) == (True, "flu")


def test_idle_residents_are_those_without_active_or_passive_attendance_in_seven_days(api, demo, world, att):
    api.login(LOGINS.activities1)
    everyone = world.residents[world.unit1] + world.residents[world.unit2]
    week_ago = (TODAY - timedelta(days=7)).isoformat()     # a Wednesday, outside the window
    six_days = (TODAY - timedelta(days=6)).isoformat()     # inside the window (individual walk on a Thursday)
    r_c, r_d, r_e = world.residents[world.unit1][2:5]
    push(api, [mark(att.activities1, att.r_a, att.weekly, att.art),                           # today: took part
               mark(att.activities1, att.r_b, att.weekly, att.art, day=week_ago),             # only a week ago
               mark(att.activities1, r_c, None, att.walk, day=six_days, status="passive"),    # took part
               mark(att.activities1, r_d, att.weekly, att.art, status="refused", minutes=None),
               mark(att.activities1, r_e, att.weekly, att.art, status="absent", reason="ill", minutes=None)])
    status, reply = api.get("/api/attendance/idle")
    assert status == 200, reply
    flagged = [r["resident_id"] for r in reply["residents"]]
    assert sorted(flagged) == sorted(set(everyone) - {att.r_a, r_c})
    assert reply["days"] == 7
    [b] = [r for r in reply["residents"] if r["resident_id"] == att.r_b]
    assert b["last_day"] == week_ago
    status, unit2 = api.get(f"/api/attendance/idle?unit_id={world.unit2}")
    assert sorted(r["resident_id"] for r in unit2["residents"]) == sorted(world.residents[world.unit2])


def test_a_massage_does_not_end_the_seven_day_flag(api, demo, world, att):
    """The flag counts social occupation (leisure and socially useful activity, source 000), as the engagement
    figure does: a resident who had only a passive massage (medical) or a talk with the psychologist is flagged."""
    with demo.app_context():
        home_id = db.session.get(Unit, world.unit1).home_id
        massage = _add(db.session, Activity(home_id=home_id, name={"ru": "Растирание спины", "zh_Hans": "背部擦浴", "en": "Back rub"},
                                            direction="medical", mode="passive", format="individual", place=""))
        talk = _add(db.session, Activity(home_id=home_id, name={"ru": "Беседа", "zh_Hans": "谈话", "en": "Talk"},
                                         direction="psychological", mode="active", format="individual", place=""))
        db.session.commit()
        massage, talk = massage.id, talk.id
        db.session.remove()
    api.login(LOGINS.activities1)
    r_c, r_d = world.residents[world.unit1][2:4]
    push(api, [mark(att.activities1, att.r_a, None, massage, status="passive"),
               mark(att.activities1, att.r_b, None, talk),
               mark(att.activities1, r_c, None, att.walk, status="passive"),
               mark(att.activities1, r_d, None, massage, status="passive"),
               mark(att.activities1, r_d, att.weekly, att.art)])
    status, reply = api.get(f"/api/attendance/idle?unit_id={world.unit1}")
    assert status == 200, reply
    flagged = {r["resident_id"] for r in reply["residents"]}
    assert {att.r_a, att.r_b} <= flagged and not {r_c, r_d} & flagged


def test_the_tablet_pull_snapshot_then_changes(api, demo, world, att):
    api.login(LOGINS.activities1)
    status, snap = api.get("/api/attendance/pull?cursor=0&device_id=tab-1")
    assert status == 200, snap
    assert snap["snapshot"] and not snap["has_more"]
    assert {a["id"] for a in snap["activities"]} == {att.art, att.walk}   # never another home's
    assert [x["id"] for x in snap["sessions"]] == [att.weekly]
    assert len(snap["programme"]) == 3
    assert {r["id"] for r in snap["residents"]} == set(world.residents[world.unit1] + world.residents[world.unit2])
    assert snap["entries"] == []
    assert any(u["id"] == att.activities1 for u in snap["staff"])
    e = mark(att.activities1, att.r_a, att.weekly, att.art)
    push(api, [e])
    with demo.app_context():  # a change of today's occurrence, then withdrawn: the session row carries none
        change = _add(db.session, SessionChange(session_id=att.weekly, on_date=TODAY, start_time="12:00",
                                                changed_by=att.activities1, changed_at=datetime(2026, 11, 25)))
        db.session.commit()
        change_id = change.id
        db.session.remove()
    _, page = api.get(f"/api/attendance/pull?cursor={snap['cursor']}")
    assert [x["id"] for x in page["entries"]] == [e["id"]]
    assert [c["id"] for c in page["changes"]] == [change_id]
    assert page["sessions"] == []
    with demo.app_context():
        db.session.delete(db.session.get(SessionChange, change_id))
        db.session.get(ActivitySession, att.weekly).seq = feed.allocate(db.session, 1)
        db.session.commit()
    _, later = api.get(f"/api/attendance/pull?cursor={page['cursor']}")
    assert [(x["id"], x["changes"]) for x in later["sessions"]] == [(att.weekly, [])]
    # paging: one row per page, each page's cursor the last row's number
    _, small = api.get(f"/api/attendance/pull?cursor={snap['cursor']}&limit=1")
    assert small["has_more"] and len(small["entries"]) + len(small["changes"]) + len(small["sessions"]) == 1


def test_a_unit_pull_holds_that_units_residents_only(api, demo, world, att):
    api.login(LOGINS.activities1)
    _, snap = api.get(f"/api/attendance/pull?unit_id={world.unit2}")
    assert {r["id"] for r in snap["residents"]} == set(world.residents[world.unit2])
    assert snap["programme"] == []


def test_an_activity_organiser_of_one_unit_pulls_that_units_attendance_only(api, make_api, demo, world, att):
    """Issue 16: activity staff pulled the whole home. The server answers for the units she works in (none: the
    whole home) and names them (`unit_ids`: the tablet's cursor holds for those only); another unit is refused."""
    api.login(LOGINS.activities1)
    _, before = api.get("/api/attendance/pull?cursor=0")
    assert before["unit_ids"] == sorted([world.unit1, world.unit2])  # no unit of hers: the whole home
    r_other = world.residents[world.unit2][0]
    here, there = mark(att.activities1, att.r_a, att.weekly, att.art), mark(att.activities1, r_other, att.weekly,
                                                                            att.art)
    assert [r["status"] for r in push(api, [here, there])] == ["accepted", "accepted"]
    with demo.app_context():  # from now on she works in unit 1
        db.session.add(UserUnit(user_id=att.activities1, unit_id=world.unit1))
        db.session.commit()
        db.session.remove()
    organiser = make_api()
    organiser.login(LOGINS.activities1)
    for query in ("cursor=0", f"cursor=0&unit_id={world.unit1}"):
        status, snap = organiser.get(f"/api/attendance/pull?{query}&device_id=tab-1")
        assert status == 200, snap
        assert snap["unit_ids"] == [world.unit1]
        assert {r["id"] for r in snap["residents"]} == set(world.residents[world.unit1])
        assert [e["id"] for e in snap["entries"]] == [here["id"]]  # not the other unit's resident's
        assert {p["resident_id"] for p in snap["programme"]} == {att.r_a, att.r_b}
    # the changes since the whole-home snapshot: her unit's only
    _, page = organiser.get(f"/api/attendance/pull?cursor={before['cursor']}")
    assert [e["id"] for e in page["entries"]] == [here["id"]] and page["unit_ids"] == [world.unit1]
    assert r_other not in {r["id"] for r in page["residents"]}
    # another unit, asked for by name: not hers
    status, reply = organiser.get(f"/api/attendance/pull?unit_id={world.unit2}")
    assert status == 404, reply
    assert organiser.get(f"/api/attendance/day?unit_id={world.unit2}")[0] == 404


def test_demo_attendance_leaves_some_residents_idle(demo, world, att):
    from backend.demo.activities import demo_attendance
    from backend.services.attendance import idle
    with demo.app_context():
        residents = Resident.query.order_by(Resident.id).all()
        staff = User.query.filter_by(username=LOGINS.activities1).one()
        for r in residents:  # the two with the Wednesday session in their programme: up and about (it is in a hall)
            if r.id in (att.r_a, att.r_b):
                r.care_group = 2
        n = demo_attendance(db.session, residents, staff, TODAY + timedelta(days=1))  # through today, a Wednesday
        db.session.commit()
        assert n > 0
        flagged = idle(staff, datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc), None)["residents"]
        assert {r["resident_id"] for r in flagged} >= {r.id for i, r in enumerate(residents) if i % 7 == 6}
        window = Entry.query.filter(Entry.kind == "attendance", Entry.day > TODAY - timedelta(days=7)).all()
        leisure = {a.id for a in Activity.query.filter(Activity.direction.notin_(["medical", "psychological"]))}
        took = {e.resident_id for e in window if e.status in ("active", "passive")
                and e.values["activity_id"] in leisure}
        assert {r["resident_id"] for r in flagged} == {r.id for r in residents} - took
        assert not {e.resident_id for e in window} & {r.id for i, r in enumerate(residents) if i % 7 == 6}
        db.session.remove()
