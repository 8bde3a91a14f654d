"""The demo home itself (backend/demo/, `bedside demo`), the one test file that may read its content: seeded at any
hour it stamps nothing after `now` (issue 16, finding 9: questionnaires at 11:00 when it was 06:40), and what it
shows is plausible (finding 16): residents in bed take part in activities only as they can, and last month's care
was recorded by the nurses on duty, shift by shift, not by one nurse day and night."""
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend import demo as demo_home
from backend.demo import activities as demo_activities
from backend.demo import community
from backend.domain import roles, schedule
from backend.extensions import db
from backend.models import (Activity, ActivitySession, CareCard, CarePlanVersion, Entry, Resident, User, Visit,
                            VisitCarer)

TZ = ZoneInfo(demo_home.TIMEZONE)
#: Home times to seed at: early morning (the finding: 06:40, on a day this month's questionnaires were planned
#: for), just after midnight, late evening, the first minutes of a month and the first morning of a year.
CLOCKS = ["2026-11-10T06:40", "2026-11-25T00:05", "2026-11-25T23:50", "2026-12-01T00:05", "2027-01-01T06:40"]
#: Columns that hold what is planned, so may lie ahead: the timetable's one-off events and a session's end, the
#: week's changes to coming occurrences, the end of a programme line, the validity of this month's card items, an
#: invitation's expiry. Every other date and time column must be <= now.
FUTURE = {("activity_session", "on_date"), ("activity_session", "valid_to"), ("session_change", "on_date"),
          ("programme_item", "valid_to"), ("card_item", "valid_from"), ("card_item", "valid_to"),
          ("invitation", "expires_at")}


def _seed(app, clock, at):
    """The whole demo (`bedside demo`) seeded at `at`, home time. Returns (app, now)."""
    clock.set(datetime.fromisoformat(at).replace(tzinfo=TZ).isoformat())
    with app.app_context():
        demo_home.seed(now=clock(), history=True)
        db.session.remove()
    return app, clock()


@pytest.fixture
def seeded(app, clock):
    return _seed(app, clock, "2026-11-25T06:40")


@pytest.mark.parametrize("at", CLOCKS)
def test_nothing_is_stamped_after_now(app, clock, at):
    app, now = _seed(app, clock, at)
    today, naive_now = now.astimezone(TZ).date(), now.replace(tzinfo=None)
    later = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if (table.name, column.name) in FUTURE or not isinstance(column.type, (sa.Date, sa.DateTime)):
                    continue
                latest = db.session.execute(sa.select(sa.func.max(column))).scalar()
                if isinstance(latest, str):  # SQLite may answer an aggregate as text
                    latest = (datetime if isinstance(column.type, sa.DateTime) else date).fromisoformat(latest)
                limit = naive_now if isinstance(column.type, sa.DateTime) else today
                if latest is not None and latest > limit:
                    later.append((table.name, column.name, latest))
        # the tablets' own clocks, as they stamp an entry (with the home's offset)
        device = max(datetime.fromisoformat(t) for (t,) in db.session.query(Entry.device_time))
        if device > now:
            later.append(("entry", "device_time", device))
        # the goals' dates: set in the past (reviews may be ahead)
        for (content,) in db.session.query(CarePlanVersion.content):
            for section in content["sections"]:
                for row in section.get("rows", []):
                    if date.fromisoformat(row["set_on"]) > today:
                        later.append(("care_plan_version", "content.set_on", row["set_on"]))
        db.session.remove()
    assert not later, f"after {now.astimezone(TZ).isoformat()}: {later}"


def test_residents_take_part_only_as_they_can(seeded):
    """A resident in bed (group IV) only in what comes to her (her unit's session or an individual one), passively
    and for a short while; none in an activity beyond her care group."""
    app, _now = seeded
    with app.app_context():
        residents = {r.id: r for r in Resident.query}
        activities = {a.id: a for a in Activity.query}
        sessions = {s.id: s for s in ActivitySession.query}
        rows = Entry.query.filter_by(kind="attendance").all()
        assert rows
        by_group = defaultdict(set)
        for e in rows:
            r, activity = residents[e.resident_id], activities[e.values["activity_id"]]
            key = demo_activities.KEY_OF[activity.name["en"]]
            assert r.care_group <= demo_activities.SUITS[key], (r.care_group, activity.name["en"])
            by_group[r.care_group].add(e.status)
            if r.care_group == 4:
                session = sessions[e.values["session_id"]]
                assert activity.format == "individual" or session.unit_id == r.unit_id, activity.name["en"]
                assert e.status != "active" and (e.values["minutes"] or 0) <= demo_activities.BEDSIDE_MINUTES
        assert "passive" in by_group[4] and "active" in by_group[1]
        db.session.remove()


def test_last_month_was_recorded_by_the_nurses_on_duty(seeded):
    """Each unit's nurses turn about: one nurse a shift, the day's and the night's different people, nobody on
    duty the night before her day shift, and every nurse of the unit has her shifts."""
    app, now = seeded
    month = (now.astimezone(TZ).date().replace(day=1) - timedelta(days=1)).replace(day=1)
    day_start, night_start = schedule.SHIFTS["day"]
    with app.app_context():
        nurses = {u.id: set(u.unit_ids) for u in User.query.filter(User.holding(roles.NURSE))}
        ticks = Entry.query.filter(Entry.kind == "tick", Entry.day >= month, Entry.day < month + timedelta(days=31))
        shifts = defaultdict(set)  # (unit, day the shift began, "day" or "night") -> authors
        for e in ticks:
            assert e.unit_id in nurses[e.author_id]
            minute = _minute(e.slot)
            if minute < day_start:
                shifts[(e.unit_id, e.day - timedelta(days=1), "night")].add(e.author_id)
            else:
                shifts[(e.unit_id, e.day, "day" if minute < night_start else "night")].add(e.author_id)
        db.session.remove()
    assert shifts and all(len(authors) == 1 for authors in shifts.values())
    on = {k: next(iter(v)) for k, v in shifts.items()}
    for (unit, day, kind), nurse in on.items():
        if kind == "day":
            assert on.get((unit, day, "night")) != nurse
            assert on.get((unit, day - timedelta(days=1), "night")) != nurse
    for unit in {u for u, _d, _k in on}:
        assert {n for (u, _d, _k), n in on.items() if u == unit} == {n for n, units in nurses.items() if unit in units}


def _minute(slot):
    """Minutes from midnight of a slot key: "07:30", or "shift:day" (the shift's start)."""
    if slot.startswith("shift:"):
        return schedule.SHIFTS[slot.split(":", 1)[1]][0]
    hours, minutes = slot.split(":")
    return int(hours) * 60 + int(minutes)


def test_the_community_centre_plans_its_week(app, clock):
    """`bedside demo` also makes a community centre (issue 18): 20 people at home (8 with a family care bed), each
    with a location, a home code kept only as a hash, a contract and this month's published card; this week's
    visits from today, each given to one of the two carers; and nothing of it stamped after now (visits lie ahead:
    they are planned)."""
    clock.set("2026-11-25T08:00:00+08:00")
    with app.app_context():
        demo_home.seed(now=clock())
        _logins, ids = community.seed_community(clock())
        db.session.commit()
        made = community.plan_the_week(ids, clock())
        people = Resident.query.filter(Resident.unit_id == ids.station).all()
        assert len(people) == 20 and sum(p.family_bed_since is not None for p in people) == 8
        assert all(p.lat and p.lon and p.home_code_hash and p.home_code_hash != ids.codes[p.id] for p in people)
        assert CareCard.query.filter(CareCard.resident_id.in_(ids.people), CareCard.status == "published").count() == 20
        visits = Visit.query.filter(Visit.unit_id == ids.station).all()
        assert made == len(visits) > 0 and min(v.day for v in visits) == date(2026, 11, 25)
        carers = {c.visit_id: c.carer_id for c in VisitCarer.query.filter(VisitCarer.unassigned_at.is_(None))}
        assert set(carers) == {v.id for v in visits}
        assert set(carers.values()) == {ids.staff["carer1"], ids.staff["carer2"]}
        db.session.remove()
