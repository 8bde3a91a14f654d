"""Milieu therapy: the home's timetable expanded into occurrences, and a resident's day.

Pure rules on plain dicts (services turn rows into dicts). Dates are `datetime.date` (ISO strings are
accepted too); times are "HH:MM". Output dates are ISO strings, ready for JSON.

* `occurrences(sessions, changes, start, end)`: the timetable's occurrences between two dates (both
  included). A weekly session occurs on its ISO weekday within valid_from..valid_to; an event on its date.
  A session change cancels one occurrence (kept in the list with cancelled=True, so staff and families see
  "cancelled") or moves it (start time) or relocates it (place), with a note.
* `resident_day(day, programme_items, occurrences, routine, care_items=None)`: the fixed parts of the
  day (frontend/forms/day_routine.json), the resident's programme, the home's events, and, only when
  care_items is given (the staff view), the timed procedures of the care card. Ordered by time.
"""
import json
import os
from datetime import date, timedelta

from . import schedule as care_schedule
from .messages import Msg

DIRECTIONS = ("physical_health", "cultural_leisure", "educational", "work_therapy", "psychological", "medical")
MODES = ("active", "passive")
FORMATS = ("group", "individual")
SESSION_KINDS = ("weekly", "event")
LANGUAGES = ("ru", "zh_Hans", "en")
#: Length of an individual programme activity held at its own time (the catalogue has no duration).
INDIVIDUAL_MINUTES = 30
#: Order of rows starting at the same time.
_KIND_ORDER = {"routine": 0, "event": 1, "activity": 2, "care": 3}

ROUTINE_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "frontend", "forms", "day_routine.json")


def load_routine(path=ROUTINE_PATH):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _end(start_hhmm, minutes):
    return care_schedule.fmt_hhmm(min(24 * 60, care_schedule.parse_hhmm(start_hhmm) + (minutes or 0)))


def _valid_time(text):
    try:
        care_schedule.parse_hhmm(text)
        return True
    except (ValueError, TypeError):
        return False


def in_range(day, valid_from=None, valid_to=None):
    valid_from, valid_to = as_date(valid_from), as_date(valid_to)
    return not (valid_from and day < valid_from) and not (valid_to and day > valid_to)


def session_dates(session, start, end):
    """The dates on which a timetable line occurs between start and end (both included)."""
    start, end = as_date(start), as_date(end)
    if session["kind"] == "event":
        day = as_date(session.get("on_date"))
        if day and start <= day <= end and in_range(day, session.get("valid_from"), session.get("valid_to")):
            return [day]
        return []
    weekday = session.get("weekday")
    if not weekday:
        return []
    first = start + timedelta(days=(weekday - start.isoweekday()) % 7)
    out = []
    day = first
    while day <= end:
        if in_range(day, session.get("valid_from"), session.get("valid_to")):
            out.append(day)
        day += timedelta(days=7)
    return out


def occurrences(sessions, changes, start, end, unit_id=None):
    """The occurrences of the timetable between start and end, in date/time order.

    unit_id: when given, only sessions for the whole home (unit_id None) or for that unit.
    A session's place falls back to `activity_place` (the catalogue's place) when it has none of its own.
    """
    by_key = {(c["session_id"], as_date(c["on_date"])): c for c in changes}
    out = []
    for s in sessions:
        if unit_id is not None and s.get("unit_id") not in (None, unit_id):
            continue
        for day in session_dates(s, start, end):
            change = by_key.get((s["id"], day))
            start_time = s["start_time"]
            place = s.get("place") or s.get("activity_place") or ""
            cancelled = changed = False
            note = None
            original = None
            if change:
                note = change.get("note") or None
                cancelled = bool(change.get("cancelled"))
                if not cancelled:
                    if change.get("start_time") and change["start_time"] != start_time:
                        original, start_time, changed = start_time, change["start_time"], True
                    if change.get("place") and change["place"] != place:
                        place, changed = change["place"], True
            out.append({
                "session_id": s["id"], "activity_id": s["activity_id"], "date": day.isoformat(),
                "start_time": start_time, "end_time": _end(start_time, s.get("duration_minutes")),
                "duration_minutes": s.get("duration_minutes"), "place": place, "unit_id": s.get("unit_id"),
                "kind": s["kind"], "title": s.get("title") if s["kind"] == "event" else None,
                "staff_id": s.get("staff_id"), "cancelled": cancelled, "changed": changed,
                "original_start_time": original, "note": note,
            })
    out.sort(key=lambda o: (o["date"], o["start_time"], o["session_id"]))
    return out


def programme_applies(item, day):
    """Whether a programme line is in force on this day and falls on one of its weekdays."""
    if not in_range(day, item.get("valid_from"), item.get("valid_to")):
        return False
    weekdays = item.get("weekdays")
    return not weekdays or day.isoweekday() in weekdays


def resident_day(day, programme_items, occurrences, routine, care_items=None):
    """The resident's schedule for one day, ordered by time.

    programme_items: dicts {id, activity_id, weekdays (ISO list or None = every day the activity runs),
      start_time (an individual activity's own time, else None), goal, valid_from, valid_to}.
    occurrences: the output of `occurrences()` for the resident's unit (any dates; this day's are used).
      Every event of the day is shown (an event is for the whole home or unit); a weekly session only when
      a programme line names its activity.
    routine: the day_routine.json definition.
    care_items: None for the family view; for staff, card items {id, title, category, schedule_kind,
      schedule, days_of_week, valid_from, valid_to}: their timed slots (times, every_hours) are added.
    """
    day = as_date(day)
    iso = day.isoformat()
    rows = []
    for item in routine.get("items", []):
        rows.append({"time": item["time"], "end": item.get("end"), "kind": "routine", "key": item["key"],
                     "label": item["label"]})
    todays = [o for o in occurrences if o["date"] == iso]
    applying = [p for p in programme_items if programme_applies(p, day)]
    by_activity = {}
    for p in applying:
        by_activity.setdefault(p["activity_id"], p)
    for p in applying:
        if p.get("start_time"):
            rows.append({"time": p["start_time"], "end": _end(p["start_time"], INDIVIDUAL_MINUTES),
                         "kind": "activity", "activity_id": p["activity_id"], "session_id": None,
                         "programme_item_id": p.get("id"), "goal": p.get("goal") or "", "place": p.get("place") or "",
                         "title": None, "cancelled": False, "changed": False, "note": None})
    individual = {p["activity_id"] for p in applying if p.get("start_time")}
    for o in todays:
        item = by_activity.get(o["activity_id"]) if o["activity_id"] not in individual else None
        if o["kind"] != "event" and item is None:
            continue
        rows.append({"time": o["start_time"], "end": o["end_time"], "kind": "event" if o["kind"] == "event" else "activity",
                     "activity_id": o["activity_id"], "session_id": o["session_id"],
                     "programme_item_id": item.get("id") if item else None,
                     "goal": (item.get("goal") or "") if item else "", "place": o["place"], "title": o["title"],
                     "cancelled": o["cancelled"], "changed": o["changed"],
                     "original_start_time": o.get("original_start_time"), "note": o["note"]})
    if care_items is not None:
        for ci in care_items:
            if ci.get("schedule_kind") not in ("times", "every_hours"):
                continue
            if not care_schedule.applies_on(day, ci.get("days_of_week"), as_date(ci.get("valid_from")),
                                            as_date(ci.get("valid_to"))):
                continue
            for slot in care_schedule.slots(ci["schedule_kind"], ci.get("schedule")):
                rows.append({"time": slot.key, "end": None, "kind": "care", "item_id": ci.get("id"),
                             "title": ci.get("title", ""), "category": ci.get("category")})
    rows.sort(key=lambda r: (r["time"], _KIND_ORDER[r["kind"]]))
    return rows


def days_between(start, end):
    start, end = as_date(start), as_date(end)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# --- validation (field -> Msg; empty when valid) ---------------------------------------------------------

def validate_texts(value, field, required):
    """A {"ru", "zh_Hans", "en"} text; when required, at least one language must be filled."""
    if value is None:
        return {field: Msg("at least one language is required")} if required else {}
    if not isinstance(value, dict) or any(k not in LANGUAGES or not isinstance(v, str) for k, v in value.items()):
        return {field: Msg("must give text per language (ru, zh_Hans, en)")}
    if required and not any(v.strip() for v in value.values()):
        return {field: Msg("at least one language is required")}
    return {}


def clean_texts(value):
    """Drop empty languages; None when nothing is left."""
    out = {k: v.strip() for k, v in (value or {}).items() if isinstance(v, str) and v.strip()}
    return out or None


def validate_activity(data):
    errors = {}
    errors.update(validate_texts(data.get("name"), "name", True))
    errors.update(validate_texts(data.get("description"), "description", False))
    if data.get("direction") not in DIRECTIONS:
        errors["direction"] = Msg("must be one of %(options)s", options=", ".join(DIRECTIONS))
    if data.get("mode") not in MODES:
        errors["mode"] = Msg("must be one of %(options)s", options=", ".join(MODES))
    if data.get("format") not in FORMATS:
        errors["format"] = Msg("must be one of %(options)s", options=", ".join(FORMATS))
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 500):
        errors["capacity"] = Msg("must be a whole number from 1 to 500")
    return errors


def validate_session(data):
    errors = {}
    kind = data.get("kind")
    if kind not in SESSION_KINDS:
        return {"kind": Msg("must be one of %(options)s", options=", ".join(SESSION_KINDS))}
    if kind == "weekly":
        weekday = data.get("weekday")
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 1 <= weekday <= 7:
            errors["weekday"] = Msg("must be an ISO weekday 1 (Monday) to 7 (Sunday)")
        if not data.get("valid_from"):
            errors["valid_from"] = Msg("a weekly session needs its first date")
    else:
        if not data.get("on_date"):
            errors["on_date"] = Msg("an event needs its date")
        errors.update(validate_texts(data.get("title"), "title", False))
    if not _valid_time(data.get("start_time")):
        errors["start_time"] = Msg("must be HH:MM")
    minutes = data.get("duration_minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 5 <= minutes <= 720:
        errors["duration_minutes"] = Msg("must be a whole number of minutes from 5 to 720")
    vf, vt = as_date(data.get("valid_from")), as_date(data.get("valid_to"))
    if vf and vt and vt < vf:
        errors["valid_to"] = Msg("must not be before the first date")
    return errors


def validate_change(data):
    errors = {}
    if not data.get("cancelled"):
        if data.get("start_time") in (None, "") and not (data.get("place") or "").strip():
            errors["start_time"] = Msg("give a new time or place, or cancel the occurrence")
        elif data.get("start_time") not in (None, "") and not _valid_time(data.get("start_time")):
            errors["start_time"] = Msg("must be HH:MM")
    return errors


def validate_programme_item(data):
    errors = {}
    weekdays = data.get("weekdays")
    if weekdays is not None and (not isinstance(weekdays, list) or not weekdays or any(
            not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 7 for d in weekdays)
            or len(set(weekdays)) != len(weekdays)):
        errors["weekdays"] = Msg("must be ISO weekdays 1 (Monday) to 7 (Sunday)")
    if data.get("start_time") not in (None, "") and not _valid_time(data.get("start_time")):
        errors["start_time"] = Msg("must be HH:MM")
    vf, vt = as_date(data.get("valid_from")), as_date(data.get("valid_to"))
    if vf and vt and vt < vf:
        errors["valid_to"] = Msg("must not be before the first date")
    return errors
