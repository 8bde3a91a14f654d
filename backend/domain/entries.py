"""What a bedside entry may contain, and which entries stand after corrections.

Entries are immutable events. A correction is a new entry whose `supersedes` names the entry it
replaces; both are kept. The entry that stands for a slot is the latest one not superseded.
"""
from datetime import datetime, timedelta

from . import attendance as attendance_rules
from . import forms as form_rules
from . import visits as visit_rules
from . import vitals as vitals_rules
from .messages import Msg

ASSESSMENT = "assessment"
ATTENDANCE = attendance_rules.KIND
#: A home visit's arrival, departure or no access (issue 18; domain/visits.py).
VISIT = visit_rules.KIND
KINDS = ("tick", "vitals", "note", "condition", ASSESSMENT, ATTENDANCE, VISIT)
STATUSES = ("done", "not_done")
#: Reasons for "not done", in the order the tablet offers them.
REASONS = ("asleep", "refused", "absent", "hospital", "not_needed", "other")
#: Categories of a reported change in condition (004 §2.4.2 triggers, plus falls and skin). `social_status` is
#: 004 §2.4.2's second trigger, «изменение социального статуса» (e.g. widowed, a guardian appointed, family contact
#: lost); like every report it marks the resident for unplanned reassessment (domain/care_groups.py).
#: The tablet's list: frontend/lib/labels.js CONDITION_CATEGORIES (tests/test_shared_lists.py keeps them equal).
CONDITION_CATEGORIES = ("acute_illness", "after_hospital", "fall", "mobility_decline",
                        "weight_or_appetite", "mental_or_behaviour", "social_status", "skin", "improvement", "other")
NOTE_MAX = 2000
#: Kinds whose `values` hold nothing: the tablet sends null (frontend/views/resident.js); a correction keeps it so.
VALUELESS = ("tick", "note", "condition")
#: How far the tablet's clock may lie from the entry's care day (either side), and ahead of the server's clock.
#: A late entry for yesterday, a night shift's entry after midnight and a tablet whose clock drifted fit in; a clock
#: at year 1 does not (it was stored, and the day view of that day answered 500). docs/domain.md "Entries".
DEVICE_TIME_DAYS = 3
DEVICE_TIME_AHEAD = timedelta(days=1)
FAR_FROM_DAY = Msg("the tablet's clock is too far from the care day")
AHEAD_OF_NOW = Msg("the tablet's clock is ahead of the server's")


def plausible_local_time(at, day):
    """Whether a wall-clock time (naive, or aware on its own offset) lies within DEVICE_TIME_DAYS of care day `day`."""
    return abs((at.date() - day).days) <= DEVICE_TIME_DAYS


def check_device_time(entry, now):
    """{"device_time": message} when the tablet's clock cannot be the time the entry was made: too far from its
    care day, or more than DEVICE_TIME_AHEAD ahead of `now` (the server's aware time; None: not checked)."""
    try:
        at = datetime.fromisoformat(entry["device_time"].replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        return {"device_time": FAR_FROM_DAY}
    if not plausible_local_time(at, entry["day"]):
        return {"device_time": FAR_FROM_DAY}
    if now is not None and at.tzinfo is not None and at > now + DEVICE_TIME_AHEAD:
        return {"device_time": AHEAD_OF_NOW}
    return {}


def validate_fields(entry, vitals_definition, form_definitions=None):
    """Kind-specific rules. Returns (errors, flags) as in vitals.check.

    `form_definitions` ({form id: definition}) is needed for assessments; without it an assessment is refused
    (a supervisor's amendment cannot rewrite one: a new assessment is filled instead)."""
    kind = entry.get("kind")
    errors, flags = {}, {}
    note = entry.get("note") or ""
    if len(note) > NOTE_MAX:
        errors["note"] = Msg("at most %(n)s characters", n=NOTE_MAX)
    if kind in VALUELESS and entry.get("values"):
        errors["values"] = Msg("this kind of entry holds no values")
    if kind == "tick":
        if entry.get("item_id") is None:
            errors["item_id"] = Msg("a tick belongs to a care-card item")
        status = entry.get("status")
        if status not in STATUSES:
            errors["status"] = Msg("must be one of %(options)s", options=", ".join(STATUSES))
        elif status == "not_done":
            reason = entry.get("reason")
            if reason not in REASONS:
                errors["reason"] = Msg("a reason is required: one of %(options)s", options=", ".join(REASONS))
            elif reason == "other" and not note.strip():
                errors["note"] = Msg("describe the reason in a note")
        elif entry.get("reason"):
            errors["reason"] = Msg("only an item not done has a reason")
    elif kind == "vitals":
        errors, flags = vitals_rules.check(entry.get("values"), vitals_definition)
    elif kind == "note":
        if not note.strip():
            errors["note"] = Msg("the note is empty")
    elif kind == "condition":
        if entry.get("category") not in CONDITION_CATEGORIES:
            errors["category"] = Msg("must be one of %(options)s", options=", ".join(CONDITION_CATEGORIES))
        if not note.strip():
            errors["note"] = Msg("describe the change")
    elif kind == ASSESSMENT:
        errors.update(check_assessment(entry, form_definitions))
    elif kind == ATTENDANCE:
        errors.update(attendance_rules.check(entry))
    elif kind == VISIT:
        errors.update(visit_rules.check(entry))  # against its visit and her arrival: visit_rules.check_in_context
    else:
        errors["kind"] = Msg("must be one of %(options)s", options=", ".join(KINDS))
    return errors, flags


def _answers(entry):
    values = entry.get("values")
    return {} if values is None else values


def check_assessment(entry, form_definitions):
    """{field: message} for an assessment: `category` a known form, `values` its answers, complete and fitting.

    A question's problem is reported under `values.<question id>`. A submitted assessment must be complete (every
    required question answered): an unfinished form stays a draft on the tablet."""
    if form_definitions is None:
        return {"kind": Msg("an assessment is corrected by filling the form again")}
    errors = {}
    for name in ("item_id", "slot", "status", "reason"):
        if entry.get(name) is not None:
            errors[name] = Msg("an assessment has no %(field)s", field=name)
    definition = form_definitions.get(entry.get("category"))
    if definition is None:
        errors["category"] = Msg("not a known assessment form")
        return errors
    for qid, problem in form_rules.validate(definition, _answers(entry)).items():
        errors["values" if qid == "answers" else f"values.{qid}"] = problem
    return errors


def assessment_score(entry, definition):
    """The server's score of an accepted assessment, as stored in `Entry.score`."""
    result = form_rules.score(definition, _answers(entry))
    return {"total": result["total"], "subscores": result["subscores"], "band": result["band"],
            "complete": result["complete"], "version": definition.get("version")}


def standing(entries):
    """Entries not superseded by another entry in the list."""
    superseded = {e["supersedes"] for e in entries if e.get("supersedes")}
    return [e for e in entries if e["id"] not in superseded]


def latest(entries):
    """The latest of several standing entries: by device time, then by id (UUIDv7 sorts by time)."""
    return max(entries, key=lambda e: (e["device_time"], e["id"])) if entries else None


def check_correction(new, old, actor_id, is_amendment):
    """Why `new` may not supersede `old`, or None when it may."""
    if old is None:
        return "superseded_unknown"
    for field in ("resident_id", "kind", "day"):
        if new.get(field) != old.get(field):
            return "superseded_mismatch"
    if new["kind"] == "tick" and (new.get("item_id"), new.get("slot")) != (old.get("item_id"), old.get("slot")):
        return "superseded_mismatch"
    if new["kind"] == ASSESSMENT and new.get("category") != old.get("category"):
        return "superseded_mismatch"
    if new["kind"] == ATTENDANCE and attendance_rules.occurrence_key(new) != attendance_rules.occurrence_key(old):
        return "superseded_mismatch"
    if new["kind"] == VISIT and visit_rules.correction_key(new) != visit_rules.correction_key(old):
        return "superseded_mismatch"  # the same visit and event: an arrival corrects an arrival
    if not is_amendment and old.get("author_id") != actor_id:
        return "not_own_entry"
    return None
