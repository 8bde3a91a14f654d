"""Attendance at activities (milieu therapy): one entry of kind 'attendance' per resident per occurrence.

An attendance entry is a bedside entry like a tick (signed on the tablet, queued, pushed exactly once):
`day` is the occurrence's date, `values` = {"session_id": a timetable line or None (an individual activity
outside the timetable), "activity_id", "minutes": how long or None}, `status` the engagement, `reason` why a
resident was absent, `note` optional ("other" needs one). "Took part" is active or passive engagement; the home's
figures and the seven-day flag count only taking part in social occupation (SOCIAL_OCCUPATION).

Two tablets may both mark the same resident at the same occurrence (two activity staff offline): both entries
are kept, as all entries are, and the one that stands is the latest by the tablet's clock (then by id), as for
ticks. A correction of one's own entry names it in `supersedes`.
"""
from datetime import timedelta

from . import activity_schedule
from .messages import Msg

KIND = "attendance"
#: Engagement, in the order the tablet offers it. Active: takes part herself; passive: watches, listens (a
#: concert, television -- the practice's passive form); refused: was there or was asked, and declined; absent.
ENGAGEMENTS = ("active", "passive", "refused", "absent")
TOOK_PART = ("active", "passive")
#: Why a resident was absent, in the order the tablet offers them. "other" needs a note.
ABSENCE_REASONS = ("ill", "hospital", "procedure", "visit", "asleep", "other")
MINUTES_MAX = 600
VALUE_KEYS = ("session_id", "activity_id", "minutes")
#: Residents without any activity taken part in over this many days (today included) are flagged.
IDLE_DAYS = 7
#: The directions (activity_schedule.DIRECTIONS) that are *social occupation*: what the engagement figure and the
#: seven-day flag count. Source 000 defines the figure as the share "вовлеченных в социальную занятость (досуговую и
#: общественно-полезную деятельность)" -- leisure and socially useful activity. Physical culture and health (001:
#: "настольные игры, различные виды спорта"; 000 lists "спортивно-оздоровительная" in supported daytime occupation),
#: cultural-leisure (001: "организация и обеспечение досуга"), informational-educational (001: talks, excursions,
#: reading, television -- 001's own passive leisure) and work therapy (001: "по активному вовлечения клиентов в
#: общественно полезную деятельность (посильная трудотерапия)") are. Medical (000 puts medical services in the
#: "социально-медицинский фактор", apart from daytime occupation) and psychological (000: "коррекционно-развивающие
#: занятия", listed beside, not within, "досуговая и общественно-полезная деятельность") are not: a massage or a
#: talk with the psychologist does not make a resident engaged. docs/domain.md "Figures"; the tablet keeps the same
#: list (frontend/lib/activities.js SOCIAL_OCCUPATION, checked equal by tests/domain/test_activity_conformance.py).
SOCIAL_OCCUPATION = ("physical_health", "cultural_leisure", "educational", "work_therapy")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31


def check(entry):
    """{field: message} for an attendance entry (empty when it fits)."""
    errors = {}
    for name in ("item_id", "slot", "category"):
        if entry.get(name) is not None:
            errors[name] = Msg("an attendance has no %(field)s", field=name)
    values = entry.get("values")
    if not isinstance(values, dict):
        errors["values"] = Msg("must name the activity")
        values = {}
    for key in values:
        if key not in VALUE_KEYS:
            errors[f"values.{key}"] = Msg("unknown field")
    if not _is_int(values.get("activity_id")) or values.get("activity_id") <= 0:
        errors["values.activity_id"] = Msg("the activity is required")
    session_id = values.get("session_id")
    if session_id is not None and (not _is_int(session_id) or session_id <= 0):
        errors["values.session_id"] = Msg("must be a session of the timetable or empty")
    minutes = values.get("minutes")
    if minutes is not None and (not _is_int(minutes) or not 1 <= minutes <= MINUTES_MAX):
        errors["values.minutes"] = Msg("must be between %(min)s and %(max)s", min=1, max=MINUTES_MAX)
    status = entry.get("status")
    note = (entry.get("note") or "").strip()
    if status not in ENGAGEMENTS:
        errors["status"] = Msg("must be one of %(options)s", options=", ".join(ENGAGEMENTS))
    elif status == "absent":
        reason = entry.get("reason")
        if reason not in ABSENCE_REASONS:
            errors["reason"] = Msg("a reason is required: one of %(options)s", options=", ".join(ABSENCE_REASONS))
        elif reason == "other" and not note:
            errors["note"] = Msg("describe the reason in a note")
    elif entry.get("reason") is not None:
        errors["reason"] = Msg("only an absent resident has a reason")
    return errors


def occurs_on(session, day):
    """Does a timetable line (dict: kind, weekday, on_date, valid_from, valid_to) take place on `day`?
    A cancelled occurrence still counts: attendance marked before the cancellation reached the tablet stands."""
    return activity_schedule.session_dates(session, day, day) == [day]  # the timetable's own rule, events included


def check_activity(entry, activities, sessions):
    """(reason, fields) when the entry names an activity or session that is not the home's, else None.

    activities: {activity id: anything} of the home; sessions: {session id: dict with activity_id, kind, weekday,
    on_date, valid_from, valid_to} of the home."""
    values = entry["values"]
    if values["activity_id"] not in activities:
        return "unknown_activity", {"values.activity_id": Msg("not an activity of this home")}
    session_id = values.get("session_id")
    if session_id is None:
        return None
    session = sessions.get(session_id)
    if session is None or session["activity_id"] != values["activity_id"]:
        return "unknown_activity", {"values.session_id": Msg("not a session of this activity in this home")}
    if not occurs_on(session, entry["day"]):
        return "invalid", {"day": Msg("the session does not take place on this day")}
    return None


def occurrence_key(entry):
    """What one attendance is about: the resident at one occurrence (a session on a day), or at an individual
    activity on a day."""
    values = entry.get("values") or {}
    session_id = values.get("session_id")
    what = ("session", session_id) if session_id is not None else ("activity", values.get("activity_id"))
    return entry["resident_id"], str(entry["day"]), what


def standing_by_occurrence(entries):
    """{occurrence key: the attendance that stands}: not superseded, then the latest by the tablet's clock, then
    id (entries.latest). Entries of other kinds are ignored."""
    attendance = [e for e in entries if e.get("kind") == KIND]
    superseded = {e["supersedes"] for e in attendance if e.get("supersedes")}
    out = {}
    for e in attendance:
        if e["id"] in superseded:
            continue
        key = occurrence_key(e)
        held = out.get(key)
        if held is None or (str(e["device_time"]), e["id"]) > (str(held["device_time"]), held["id"]):
            out[key] = e
    return out


def took_part(entry):
    return entry.get("status") in TOOK_PART


def direction_of(entry, directions):
    """The direction of the activity an attendance names. directions: {activity id: direction}."""
    return directions.get((entry.get("values") or {}).get("activity_id"))


def in_social_occupation(entry, directions):
    """Did this attendance engage her in social occupation: took part (active or passive) in an activity of a
    SOCIAL_OCCUPATION direction? An activity not in `directions` ({activity id: direction}) does not count."""
    return took_part(entry) and direction_of(entry, directions) in SOCIAL_OCCUPATION


def idle(resident_ids, entries, today, directions, days=IDLE_DAYS):
    """Residents who took part in no social occupation (SOCIAL_OCCUPATION: leisure and socially useful activity)
    in the `days` days ending today, in the given order, each as {"resident_id", "last_day": the last day she took
    part in one (any time before), or None}. directions: {activity id: direction} of the home's activities."""
    since = today - timedelta(days=days - 1)
    last = {}
    for e in standing_by_occurrence(entries).values():
        if in_social_occupation(e, directions) and e["day"] <= today:
            rid = e["resident_id"]
            if rid not in last or e["day"] > last[rid]:
                last[rid] = e["day"]
    return [{"resident_id": rid, "last_day": last.get(rid)} for rid in resident_ids
            if last.get(rid) is None or last[rid] < since]
