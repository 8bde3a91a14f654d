"""Milieu therapy: the activity catalogue, the home's timetable (weekly sessions, one-off events, one occurrence
cancelled or changed) and residents' individual programmes with their daily schedules.

Rules in backend/domain/activity_schedule.py; here rows become dicts and writes are audited, each write taking a
feed position (`seq`) so tablets pull it. Other homes' rows answer 404, as if they did not exist.
"""
from datetime import timedelta

from sqlalchemy import or_

from ..domain import activity_schedule as rules
from ..domain import places
from ..domain import roles
from ..domain.errors import NotFound, invalid
from ..domain.messages import Msg
from ..extensions import db
from ..models import Activity, ActivitySession, CareCard, ProgrammeItem, Resident, SessionChange, Unit, User
from . import access, homes
from .publish import published

#: Longest date range the timetable and schedule routes expand (two months).
MAX_DAYS = 62
ACTIVITY_FIELDS = ("name", "description", "direction", "mode", "format", "place", "staff_id", "capacity", "active")
SESSION_FIELDS = ("activity_id", "unit_id", "kind", "weekday", "on_date", "start_time", "duration_minutes",
                  "valid_from", "valid_to", "title", "place", "staff_id", "capacity")


def _invalid(errors):
    raise invalid(errors)


def check_range(start, end):
    if end < start:
        _invalid({"end": Msg("must not be before the start")})
    if (end - start).days >= MAX_DAYS:
        _invalid({"end": Msg("at most %(n)s days at once", n=MAX_DAYS)})


# --- the catalogue ------------------------------------------------------------------------------------------

def list_activities(actor, include_inactive=True):
    query = Activity.query.filter_by(home_id=actor.home_id)
    if not include_inactive:
        query = query.filter_by(active=True)
    return query.order_by(Activity.direction, Activity.id).all()


def get_activity(actor, activity_id):
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.home_id != actor.home_id:
        raise NotFound(Msg("No such activity."))
    return activity


def _check_staff(actor, staff_id, field="staff_id"):
    if staff_id is None:
        return
    user = db.session.get(User, staff_id)
    if user is None or user.home_id != actor.home_id or user.role == "relative":
        _invalid({field: Msg("not a staff member of this home")})


def _check_activity(actor, data):
    errors = rules.validate_activity(data)
    if errors:
        _invalid(errors)
    _check_staff(actor, data.get("staff_id"))


def create_activity(ctx, data):
    actor = ctx.actor
    _check_activity(actor, data)
    with published(ctx) as w:
        s = w.session
        activity = Activity(home_id=actor.home_id, **{k: data[k] for k in ACTIVITY_FIELDS if k in data})
        activity.name = rules.clean_texts(data["name"])
        activity.description = rules.clean_texts(data.get("description"))
        activity.place = (data.get("place") or "").strip()
        w.number(activity)
        s.add(activity)
        s.flush()
        w.audit("activity_create", "activity", activity.id,
                detail={"direction": activity.direction})
    return activity


def update_activity(ctx, activity_id, data):
    actor = ctx.actor
    activity = get_activity(actor, activity_id)
    merged = {k: getattr(activity, k) for k in ACTIVITY_FIELDS}
    merged.update(data)
    _check_activity(actor, merged)
    with published(ctx) as w:
        for key, value in data.items():
            if key in ("name", "description"):
                value = rules.clean_texts(value)
            elif key == "place":
                value = (value or "").strip()
            setattr(activity, key, value)
        w.number(activity)
        w.audit("activity_update", "activity", activity.id, detail={"fields": sorted(data)})
    return activity


# --- the timetable ------------------------------------------------------------------------------------------

def session_dict(row, activity=None):
    activity = activity or row.activity
    return {k: getattr(row, k) for k in ("id",) + SESSION_FIELDS} | {
        "activity_place": activity.place if activity else ""}


def change_dict(row):
    return {k: getattr(row, k) for k in ("session_id", "on_date", "cancelled", "start_time", "place", "note")}


def _decorate(occ, activities):
    activity = activities.get(occ["activity_id"])
    if activity is not None:
        occ.update(name=activity.name, direction=activity.direction, mode=activity.mode, format=activity.format)
    return occ


def occurrences_between(home_id, start, end, unit_id=None):
    """The home's timetable between two dates (both included) as occurrence dicts (see
    domain.activity_schedule.occurrences), each with the activity's name, direction, mode and format."""
    sessions = (ActivitySession.query.filter(ActivitySession.home_id == home_id)
                .filter(or_(ActivitySession.valid_to.is_(None), ActivitySession.valid_to >= start))
                .filter(or_(ActivitySession.valid_from.is_(None), ActivitySession.valid_from <= end))
                .filter(or_(ActivitySession.kind != "event", ActivitySession.on_date.between(start, end))).all())
    if not sessions:
        return []
    activities = {a.id: a for a in Activity.query.filter_by(home_id=home_id)}
    changes = (SessionChange.query.filter(SessionChange.session_id.in_([x.id for x in sessions]))
               .filter(SessionChange.on_date.between(start, end)).all())
    occ = rules.occurrences([session_dict(x, activities.get(x.activity_id)) for x in sessions],
                            [change_dict(c) for c in changes], start, end, unit_id=unit_id)
    return [_decorate(o, activities) for o in occ]


def timetable(actor, start, end, unit_id=None):
    check_range(start, end)
    if unit_id is not None:
        access.get_unit(actor, unit_id)
    return occurrences_between(actor.home_id, start, end, unit_id)


def list_sessions(actor, on_or_after=None):
    query = ActivitySession.query.filter_by(home_id=actor.home_id)
    if on_or_after is not None:
        query = query.filter(or_(ActivitySession.valid_to.is_(None), ActivitySession.valid_to >= on_or_after))
        query = query.filter(or_(ActivitySession.kind != "event", ActivitySession.on_date >= on_or_after))
    return query.order_by(ActivitySession.kind.desc(), ActivitySession.weekday, ActivitySession.on_date,
                          ActivitySession.start_time).all()


def get_session(actor, session_id):
    row = db.session.get(ActivitySession, session_id)
    if row is None or row.home_id != actor.home_id:
        raise NotFound(Msg("No such session."))
    return row


def create_session(ctx, data):
    actor, now = ctx.actor, ctx.now
    data = dict(data)
    if data.get("kind") == "weekly" and not data.get("valid_from"):
        data["valid_from"] = homes.home_today(actor.home_id, now)
    errors = rules.validate_session(data)
    if errors:
        _invalid(errors)
    activity = db.session.get(Activity, data["activity_id"])
    if activity is None or activity.home_id != actor.home_id:
        _invalid({"activity_id": Msg("not an activity of this home")})
    if data.get("unit_id") is not None:
        unit = db.session.get(Unit, data["unit_id"])
        if unit is None or unit.home_id != actor.home_id:
            _invalid({"unit_id": Msg("not a unit of this home")})
    _check_staff(actor, data.get("staff_id"))
    if data["kind"] == "weekly":
        data.update(on_date=None, title=None)
    else:
        data.update(weekday=None, title=rules.clean_texts(data.get("title")))
    with published(ctx) as w:
        s = w.session
        row = ActivitySession(home_id=actor.home_id, **{k: data.get(k) for k in SESSION_FIELDS})
        row.place = (row.place or "").strip() or None
        w.number(row)
        s.add(row)
        s.flush()
        w.audit("session_create", "activity_session", row.id,
                detail={"kind": row.kind, "activity_id": row.activity_id})
    return row


def end_session(ctx, session_id, last_day):
    """End a weekly series after last_day (default: yesterday, so today's occurrence goes too -- cancel one
    occurrence instead to keep the series). An event is ended by cancelling its date."""
    actor, now = ctx.actor, ctx.now
    row = get_session(actor, session_id)
    if row.kind != "weekly":
        _invalid({"session_id": Msg("an event is cancelled, not ended")})
    last_day = last_day or homes.home_today(actor.home_id, now) - timedelta(days=1)
    if row.valid_from and last_day < row.valid_from - timedelta(days=1):
        _invalid({"last_day": Msg("must not be before the series starts")})
    with published(ctx) as w:
        row.valid_to = last_day
        w.number(row)
        w.audit("session_end", "activity_session", row.id,
                detail={"valid_to": last_day.isoformat()})
    return row


def change_occurrence(ctx, session_id, on_date, data):
    """Cancel or change (time, place) one occurrence, with a note. A second change of the same date replaces the
    first; `restore` removes it (the occurrence is as the timetable says)."""
    actor, now = ctx.actor, ctx.now
    row = get_session(actor, session_id)
    if not rules.session_dates(session_dict(row), on_date, on_date):
        _invalid({"on_date": Msg("the session does not take place on this day")})
    restore = data.get("restore", False)
    if not restore:
        errors = rules.validate_change(data)
        if errors:
            _invalid(errors)
    existing = SessionChange.query.filter_by(session_id=row.id, on_date=on_date).first()
    with published(ctx) as w:
        s = w.session
        if restore:
            if existing is not None:
                s.delete(existing)
            w.number(row)  # tablets see the session again (the change row is gone)
        else:
            change = existing or SessionChange(session_id=row.id, on_date=on_date)
            change.cancelled = bool(data.get("cancelled"))
            change.start_time = None if change.cancelled else (data.get("start_time") or None)
            change.place = None if change.cancelled else ((data.get("place") or "").strip() or None)
            change.note = (data.get("note") or "").strip() or None
            change.changed_by, change.changed_at = actor.id, now.replace(tzinfo=None)
            w.number(change)
            s.add(change)
        w.audit("session_restore" if restore else (
            "session_cancel" if data.get("cancelled") else "session_change"), "activity_session", row.id,
            detail={"on_date": on_date.isoformat()})
    return occurrences_between(actor.home_id, on_date, on_date, None)


def people(actor):
    """Who the activity screens name: the units, residents (no medical field) and staff who may lead an
    activity."""
    unit_ids = access.unit_ids(actor)
    units = Unit.query.filter(Unit.id.in_(unit_ids)).order_by(Unit.id).all()
    residents = (Resident.query.filter(Resident.unit_id.in_(unit_ids), Resident.active.is_(True))
                 .order_by(Resident.unit_id, Resident.room, Resident.bed, Resident.id).all())
    staff = (User.query.filter(User.home_id == actor.home_id, User.active.is_(True),
                               User.holding(roles.ACTIVITIES, roles.PLANNER, roles.SUPERVISOR))
             .order_by(User.full_name).all())
    names = {u.id: places.of(u) for u in units}
    return {"units": [{"id": u.id, "name": names[u.id]} for u in units],
            "residents": [{"id": r.id, "full_name": r.full_name, "room": r.room, "bed": r.bed, "unit_id": r.unit_id,
                           "unit_name": names.get(r.unit_id)} for r in residents],
            "staff": [{"id": u.id, "full_name": u.full_name, "role": u.role, "roles": list(u.roles)} for u in staff]}


# --- individual programmes ----------------------------------------------------------------------------------

def programme_of(actor, resident_id):
    access.get_resident(actor, resident_id)
    return (ProgrammeItem.query.filter_by(resident_id=resident_id)
            .order_by(ProgrammeItem.valid_to.isnot(None), ProgrammeItem.id).all())


def _get_item(actor, item_id):
    item = db.session.get(ProgrammeItem, item_id)
    if item is None:
        raise NotFound(Msg("No such programme line."))
    access.get_resident(actor, item.resident_id)
    return item


def _check_item(actor, data):
    errors = rules.validate_programme_item(data)
    if errors:
        _invalid(errors)
    activity = db.session.get(Activity, data["activity_id"])
    if activity is None or activity.home_id != actor.home_id:
        _invalid({"activity_id": Msg("not an activity of this home")})


def add_programme_item(ctx, data):
    actor, now = ctx.actor, ctx.now
    access.get_resident(actor, data["resident_id"])
    data = dict(data)
    data.setdefault("valid_from", None)
    data["valid_from"] = data["valid_from"] or homes.home_today(actor.home_id, now)
    _check_item(actor, data)
    with published(ctx) as w:
        s = w.session
        item = ProgrammeItem(resident_id=data["resident_id"], activity_id=data["activity_id"],
                             weekdays=sorted(data["weekdays"]) if data.get("weekdays") else None,
                             start_time=data.get("start_time") or None, goal=(data.get("goal") or "").strip(),
                             valid_from=data["valid_from"], valid_to=data.get("valid_to"),
                             created_by=actor.id, created_at=now.replace(tzinfo=None))
        w.number(item)
        s.add(item)
        s.flush()
        w.audit("programme_add", "programme_item", item.id,
                detail={"resident_id": item.resident_id, "activity_id": item.activity_id})
    return item


def update_programme_item(ctx, item_id, data):
    actor = ctx.actor
    item = _get_item(actor, item_id)
    merged = {k: getattr(item, k) for k in ("activity_id", "weekdays", "start_time", "goal", "valid_from",
                                            "valid_to")}
    merged.update(data)
    _check_item(actor, merged)
    with published(ctx) as w:
        for key, value in data.items():
            if key == "weekdays":
                value = sorted(value) if value else None
            elif key in ("start_time",):
                value = value or None
            elif key == "goal":
                value = (value or "").strip()
            setattr(item, key, value)
        w.number(item)
        w.audit("programme_update", "programme_item", item.id, detail={"fields": sorted(data)})
    return item


def end_programme_item(ctx, item_id, last_day=None):
    """End a programme line after last_day (default today: it still shows today)."""
    actor, now = ctx.actor, ctx.now
    item = _get_item(actor, item_id)
    last_day = last_day or homes.home_today(actor.home_id, now)
    if item.valid_from and last_day < item.valid_from - timedelta(days=1):
        _invalid({"last_day": Msg("must not be before the line starts")})
    with published(ctx) as w:
        item.valid_to = last_day
        w.number(item)
        w.audit("programme_end", "programme_item", item.id,
                detail={"valid_to": last_day.isoformat()})
    return item


def _programme_dicts(resident_id, start, end):
    rows = (ProgrammeItem.query.filter_by(resident_id=resident_id)
            .filter(or_(ProgrammeItem.valid_to.is_(None), ProgrammeItem.valid_to >= start))
            .filter(or_(ProgrammeItem.valid_from.is_(None), ProgrammeItem.valid_from <= end)).all())
    return [{"id": p.id, "activity_id": p.activity_id, "weekdays": p.weekdays, "start_time": p.start_time,
             "goal": p.goal, "valid_from": p.valid_from, "valid_to": p.valid_to,
             "place": p.activity.place if p.activity else ""} for p in rows]


def _care_items_by_month(resident_id, start, end):
    cards = (CareCard.query.filter(CareCard.resident_id == resident_id, CareCard.status != "draft")
             .filter(CareCard.month.between(start.replace(day=1), end)).all())
    out = {}
    for card in cards:
        out[card.month] = [{"id": i.id, "title": i.title, "category": i.category, "schedule_kind": i.schedule_kind,
                            "schedule": i.schedule, "days_of_week": i.days_of_week, "valid_from": i.valid_from,
                            "valid_to": i.valid_to} for i in card.items]
    return out


def resident_schedule(resident_id, start, end, include_care=False):
    """The resident's days from start to end (both included): [{"date", "rows"}], rows as in
    domain.activity_schedule.resident_day, activity and event rows with the activity's name, direction, mode and
    format. No access check: callers check (staff: access.get_resident; family: the relative's link).

    include_care=False (the family view) leaves out everything medical: the care card's procedures, the
    programme lines' goals and the activities of the medical direction."""
    resident = db.session.get(Resident, resident_id)
    unit = db.session.get(Unit, resident.unit_id)
    occ = occurrences_between(unit.home_id, start, end, unit.id)
    programme = _programme_dicts(resident_id, start, end)
    routine = rules.load_routine()
    activities = {a.id: a for a in Activity.query.filter_by(home_id=unit.home_id)}
    care = _care_items_by_month(resident_id, start, end) if include_care else {}
    days = []
    for day in rules.days_between(start, end):
        rows = rules.resident_day(day, programme, occ, routine,
                                  care.get(day.replace(day=1), []) if include_care else None)
        out = []
        for row in rows:
            if row["kind"] in ("activity", "event"):
                _decorate(row, activities)
                if not include_care:
                    if row.get("direction") == "medical":
                        continue
                    row.pop("goal", None)
            out.append(row)
        days.append({"date": day.isoformat(), "rows": out})
    return days


def schedule_for(actor, resident_id, start, end):
    access.get_resident(actor, resident_id)
    check_range(start, end)
    return resident_schedule(resident_id, start, end, include_care=True)

