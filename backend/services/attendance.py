"""Attendance at activities: what an activity staff member's tablet pulls, the day's sessions with the residents
expected (their programmes) and the attendance recorded, residents without social occupation for seven days.

Attendance entries themselves are pushed like every entry (services/sync.py push, kind 'attendance').
"""
from datetime import timedelta

from sqlalchemy import or_, select

from ..domain import activity_schedule
from ..domain import attendance as rules
from ..domain import roles
from ..extensions import db
from ..models import Activity, ActivitySession, Entry, ProgrammeItem, Resident, SessionChange, User
from . import access, feed, homes
from . import sync as sync_service

#: Days of attendance a tablet keeps (the idle flag looks back IDLE_DAYS, today included), and how far back the
#: snapshot's timetable changes and programme lines reach.
HISTORY_DAYS = rules.IDLE_DAYS + 1
SESSION_COLUMNS = ("id", "activity_id", "unit_id", "kind", "weekday", "on_date", "start_time", "duration_minutes",
                   "valid_from", "valid_to", "title", "place", "staff_id", "capacity", "seq")


def _units(actor, unit_id):
    return [access.get_unit(actor, unit_id).id] if unit_id is not None else access.unit_ids(actor)


def _session_dict(row, activity=None):
    out = {k: getattr(row, k) for k in SESSION_COLUMNS}
    out["activity_place"] = activity.place if activity is not None else ""
    return out


def _change_dict(c):
    return {"session_id": c.session_id, "on_date": c.on_date, "cancelled": c.cancelled, "start_time": c.start_time,
            "place": c.place, "note": c.note}


# --- the tablet's pull -------------------------------------------------------------------------------------------

def pull(ctx, cursor, limit, unit_id=None):
    """What a tablet of activity staff needs offline, after `cursor` (0: a snapshot): the residents (of the units
    the person works in -- none: the whole home -- or of one of them, `unit_id`), the home's activity catalogue,
    timetable and its changes, the residents' programme lines and their attendance entries of the last HISTORY_DAYS
    days, and the staff's names. Paged by the feed's numbers as the duty-post pull is (docs/sync.md): the
    high-water mark first, then rows numbered cursor < seq <= high. The reply names the units it covers
    (`unit_ids`): a cursor holds for those only, and the tablet starts again from a snapshot when they change.

    A session row carries its current changes (`changes`): a change withdrawn since is gone from the list. The pull
    is noted for the tablet `ctx.device_id` names (the supervisor's device list)."""
    actor, now = ctx.actor, ctx.now
    units = _units(actor, unit_id)
    s = db.session
    high, epoch = feed.high_water(s)
    today = homes.home_today(actor.home_id, now)
    since = today - timedelta(days=HISTORY_DAYS)
    home_sessions = ActivitySession.home_id == actor.home_id
    unit_residents = select(Resident.id).where(Resident.unit_id.in_(units)).scalar_subquery()
    queries = {
        "residents": (Resident, Resident.unit_id.in_(units), Resident.active.is_(True)),
        "activities": (Activity, Activity.home_id == actor.home_id, None),
        "sessions": (ActivitySession, home_sessions, or_(ActivitySession.valid_to.is_(None),
                                                         ActivitySession.valid_to >= since)),
        "changes": (SessionChange, SessionChange.session_id.in_(select(ActivitySession.id).where(home_sessions)),
                    SessionChange.on_date >= since),
        "programme": (ProgrammeItem, ProgrammeItem.resident_id.in_(unit_residents),
                      or_(ProgrammeItem.valid_to.is_(None), ProgrammeItem.valid_to >= since)),
    }
    snapshot = cursor == 0
    pages, seqs = {}, []
    for name, (model, scope, current) in queries.items():
        query = model.query.filter(scope)
        if snapshot:
            query = query.filter(model.seq <= high)
            if current is not None:
                query = query.filter(current)
            pages[name] = query.order_by(model.seq).all()
        else:
            pages[name] = query.filter(model.seq > cursor, model.seq <= high).order_by(model.seq).limit(limit + 1).all()
            seqs += [row.seq for row in pages[name]]
    window = [Entry.kind == rules.KIND, Entry.resident_id.in_(unit_residents), Entry.seq <= high]
    if snapshot:
        pages["entries"] = sync_service.entry_dicts(s, *window, Entry.day >= since)
        next_cursor, has_more = high, False
    else:
        pages["entries"] = sync_service.entry_dicts(s, *window, Entry.seq > cursor, limit=limit + 1)
        seqs = sorted(seqs + [e["seq"] for e in pages["entries"]])
        has_more = len(seqs) > limit
        next_cursor = seqs[limit - 1] if has_more else high
        if has_more:
            for name, rows in pages.items():
                pages[name] = [r for r in rows if (r["seq"] if isinstance(r, dict) else r.seq) <= next_cursor]
    activities = {a.id: a for a in Activity.query.filter(Activity.home_id == actor.home_id)}
    session_ids = [x.id for x in pages["sessions"]]
    current_changes = {}
    if session_ids:
        for change in SessionChange.query.filter(SessionChange.session_id.in_(session_ids),
                                                 SessionChange.on_date >= since, SessionChange.seq <= high):
            current_changes.setdefault(change.session_id, []).append(change)
    sessions = [dict(_session_dict(x, activities.get(x.activity_id)), changes=current_changes.get(x.id, []))
                for x in pages["sessions"]]
    staff_changed = (not snapshot and db.session.query(User.id).filter(
        User.home_id == actor.home_id, User.seq > cursor, User.seq <= next_cursor).first() is not None)
    staff = (_staff(actor) if snapshot or pages["entries"] or staff_changed else [])
    if ctx.device_id:
        sync_service.note_pull(ctx)
    return {"cursor": next_cursor, "has_more": has_more, "snapshot": snapshot, "server_epoch": epoch,
            "today": today.isoformat(), "server_time": now.isoformat(), "unit_id": unit_id, "unit_ids": sorted(units),
            "residents": pages["residents"], "activities": pages["activities"], "sessions": sessions,
            "changes": pages["changes"], "programme": pages["programme"], "entries": pages["entries"],
            "staff": staff}


def _staff(actor):
    return User.query.filter(User.home_id == actor.home_id, User.role != roles.RELATIVE).all()


# --- the day's sessions, online ------------------------------------------------------------------------------------

def _programme_lines(resident_ids, day):
    if not resident_ids:
        return []
    rows = ProgrammeItem.query.filter(ProgrammeItem.resident_id.in_(resident_ids)).all()
    return [p for p in rows if activity_schedule.in_range(day, p.valid_from, p.valid_to)
            and (not p.weekdays or day.isoweekday() in p.weekdays)]


def _occurrences(home_id, day, unit_id):
    sessions = (ActivitySession.query.filter(ActivitySession.home_id == home_id)
                .filter(or_(ActivitySession.kind != "event", ActivitySession.on_date == day)).all())
    activities = {a.id: a for a in Activity.query.filter_by(home_id=home_id)}
    changes = (SessionChange.query.filter(SessionChange.session_id.in_([x.id for x in sessions]),
                                          SessionChange.on_date == day).all()) if sessions else []
    occ = activity_schedule.occurrences([_session_dict(x, activities.get(x.activity_id)) for x in sessions],
                                        [_change_dict(c) for c in changes], day, day, unit_id=unit_id)
    return occ, activities


def _activity_brief(activity):
    return {"id": activity.id, "name": activity.name, "direction": activity.direction, "mode": activity.mode,
            "format": activity.format, "place": activity.place} if activity is not None else None


def day_overview(actor, day, unit_id=None):
    """The day's occurrences (cancelled ones included, marked) with the residents expected by their programmes and
    the attendance that stands for each; the individual programme activities at their own times; the residents."""
    units = _units(actor, unit_id)
    residents = (Resident.query.filter(Resident.unit_id.in_(units), Resident.active.is_(True))
                 .order_by(Resident.unit_id, Resident.room, Resident.full_name).all())
    by_id = {r.id: r for r in residents}
    occurrences, activities = _occurrences(actor.home_id, day, unit_id)
    lines = _programme_lines(list(by_id), day)
    entries = sync_service.entry_dicts(db.session, Entry.kind == rules.KIND, Entry.day == day,
                                       Entry.resident_id.in_(list(by_id))) if by_id else []
    standing = rules.standing_by_occurrence(entries)
    sessions = []
    for occ in occurrences:
        expected = [p.resident_id for p in lines if p.start_time is None and p.activity_id == occ["activity_id"]
                    and occ["unit_id"] in (None, by_id[p.resident_id].unit_id)]
        marked = [e for (rid, _, what), e in standing.items() if what == ("session", occ["session_id"])]
        sessions.append(dict(occ, activity=_activity_brief(activities.get(occ["activity_id"])),
                             expected=sorted(set(expected)), attendance=marked))
    individual = []
    for p in lines:
        if p.start_time is None:
            continue
        held = standing.get((p.resident_id, day.isoformat(), ("activity", p.activity_id)))
        individual.append({"programme_item_id": p.id, "resident_id": p.resident_id, "activity_id": p.activity_id,
                           "start_time": p.start_time, "goal": p.goal,
                           "activity": _activity_brief(activities.get(p.activity_id)), "attendance": held})
    individual.sort(key=lambda x: (x["start_time"], x["resident_id"]))
    return {"day": day, "unit_id": unit_id, "sessions": sessions, "individual": individual, "residents": residents}


def idle(actor, now, unit_id=None):
    """Residents (of the home, or of one unit) who took part in no social occupation (leisure and socially useful
    activity: attendance.SOCIAL_OCCUPATION) in the last IDLE_DAYS days, today included, with the last day they did
    (None: not within the attendance kept here)."""
    units = _units(actor, unit_id)
    today = homes.home_today(actor.home_id, now)
    residents = (Resident.query.filter(Resident.unit_id.in_(units), Resident.active.is_(True))
                 .order_by(Resident.unit_id, Resident.room, Resident.full_name).all())
    ids = [r.id for r in residents]
    entries = sync_service.entry_dicts(db.session, Entry.kind == rules.KIND, Entry.resident_id.in_(ids),
                                       Entry.day <= today) if ids else []
    by_id = {r.id: r for r in residents}
    directions = {a.id: a.direction for a in Activity.query.filter_by(home_id=actor.home_id)}
    found = rules.idle(ids, entries, today, directions)
    return {"today": today, "days": rules.IDLE_DAYS,
            "residents": [{"resident_id": x["resident_id"], "full_name": by_id[x["resident_id"]].full_name,
                           "unit_id": by_id[x["resident_id"]].unit_id, "room": by_id[x["resident_id"]].room,
                           "last_day": x["last_day"]} for x in found]}
