"""Home visits (issue 18): the rules of an entry of kind 'visit' -- a carer arrived at a person's home, left it, or
found no access. Plain rules: the visit, the person, her standing arrival, the clocks are arguments.

A visit entry is a bedside entry like a tick (signed on the carer's phone, queued, pushed exactly once). Its fields:
`resident_id` the person, `day` the visit's day, `device_time` the tap's time with its offset, `status` the event
(EVENTS), `reason` why there was no access (NO_ACCESS_REASONS; "other" needs a note), `note`, and `values`, a flat
object:

- visit_id: the visit (an int > 0), always;
- presence (arrived and left): how she showed she was there (PRESENCE):
  "fix": lat, lon (degrees, rounded by the phone to geo.ROUND_DIGITS places -- about 10 m, no finer: location is
  sensitive personal information) and accuracy_m (metres, >= 0);
  "code": code_hash, the sha256 of "<salt>:<code>" in lower-case hex (code_hash below; the phone has the salt
  from its pull, the server compares with the person's home_code_hash);
  "none": presence_reason (PRESENCE_REASONS): location denied, unavailable, timed out, no code at the door...;
- confirmed_by (left only, CONFIRMERS): who confirmed the visit; "nobody" needs a note saying why;
- duration_reason (left only, optional text, at most DURATION_REASON_MAX): why the visit's length was off its plan
  by DURATION_OFF_MINUTES or more.

Refused (check: the entry by itself; check_in_context: against its visit and her arrival), naming the field: a field
that does not belong to the event, an unknown code, coordinates out of range or finer than the rounding, a negative
accuracy, a fix without its coordinates; another home's (an unknown) visit, another person's, another day's; a left
earlier than her standing arrival or more than DURATION_MAX_HOURS after it.

Flagged, never refused (flags: what the server stores in entry.flags, {key: detail}): everything else an honest carer
can produce -- far from home, no location, a wrong code, her phone's clock off, not the assigned carer, a left
without an arrival, a second arrival, a duration off plan without a reason, a cancelled visit. The phone knows
LOCAL_FLAGS itself (frontend/lib/visits.js localFlags, kept equal by tests/fixtures/visit_cases.json).

"Far": the fix lies farther from the home than its radius plus the fix's accuracy, that accuracy counted up to one
radius: distance > radius + min(accuracy, radius). A phone that is honest about a coarse fix (a 150 m accuracy in a
200 m radius) is not flagged for its uncertainty, and a fix of 5 km accuracy (a cell tower) does not stretch the
radius to 5 km: beyond twice the radius it is far, whatever its accuracy.
"""
import hashlib
import hmac
import math

from . import clock, geo, homecare_codes
from .messages import Msg

KIND = "visit"
ARRIVED, LEFT, NO_ACCESS = "arrived", "left", "no_access"
#: The events, in the order the phone offers them (an entry's `status`).
EVENTS = (ARRIVED, LEFT, NO_ACCESS)
#: Why there was no access (an entry's `reason`), in the phone's order. "other" needs a note.
NO_ACCESS_REASONS = ("not_home", "refused", "hospital", "other")
#: How presence was shown (values.presence): a location fix, the home code, neither.
FIX, CODE, NONE = "fix", "code", "none"
PRESENCE = (FIX, CODE, NONE)
#: Why neither a fix nor a code (values.presence_reason), in the phone's order.
PRESENCE_REASONS = ("denied", "unavailable", "timeout", "no_code", "other")
#: Who confirmed the visit at its end (values.confirmed_by). "nobody" needs a note.
CONFIRMERS = ("person", "family", "nobody")
#: values' keys: those of every event, those of arrived and left, those of left, those of each presence.
VALUE_KEYS = ("visit_id", "presence", "lat", "lon", "accuracy_m", "code_hash", "presence_reason", "confirmed_by",
              "duration_reason")
EVENT_KEYS = {ARRIVED: ("visit_id", "presence"), LEFT: ("visit_id", "presence", "confirmed_by", "duration_reason"),
              NO_ACCESS: ("visit_id",)}
PRESENCE_KEYS = {FIX: ("lat", "lon", "accuracy_m"), CODE: ("code_hash",), NONE: ("presence_reason",)}
DURATION_REASON_MAX = 500

# -- Thresholds (ours: the sources name none; docs/domain.md records them) --
#: A person's radius when none is kept (resident.radius_m's default), metres: homecare_codes' one value.
RADIUS_M = homecare_codes.DEFAULT_RADIUS_M
#: A visit whose length differs from the plan by this many minutes or more needs a reason (else: flagged).
DURATION_OFF_MINUTES = 15
#: A left more than this many hours after its arrival is refused (no visit lasts a day).
DURATION_MAX_HOURS = 24
#: The phone's clock more than this many seconds off the server's at a push is flagged (5 minutes).
CLOCK_OFF_SECONDS = 5 * 60
#: The board: late when this many minutes past the start without an arrival (though her phone synced since);
#: missed this many minutes past the planned end; a week's follow-up calls reach this share of finished visits.
LATE_MINUTES = 15
MISSED_MINUTES = 60
FOLLOW_UP_SHARE = 0.05

#: Flags the phone knows itself (frontend/lib/visits.js localFlags); the server alone knows the others.
LOCAL_FLAGS = ("far", "no_location", "duration_off_plan", "left_without_arrival")
SERVER_FLAGS = ("wrong_code", "clock_off", "not_assigned", "second_arrival", "cancelled_visit")
FLAGS = LOCAL_FLAGS + SERVER_FLAGS

#: The refusals' messages by code (frontend/lib/visits.js MESSAGES has the same codes and English text; the phone
#: translates by code). Compared across the two by code.
MESSAGES = {
    "not_visit_field": Msg("a visit entry has no %(field)s"),
    "values": Msg("must name the visit"),
    "unknown": Msg("unknown field"),
    "visit": Msg("the visit is required"),
    "option": Msg("must be one of %(options)s"),
    "reason": Msg("a reason is required: one of %(options)s"),
    "no_reason": Msg("only a visit without access has a reason"),
    "note": Msg("describe the reason in a note"),
    "not_for_event": Msg("does not belong to this event"),
    "required": Msg("required"),
    "number": Msg("must be a number"),
    "range": Msg("must be between %(min)s and %(max)s"),
    "precision": Msg("must be rounded to %(n)s decimal places"),
    "negative": Msg("must not be negative"),
    "code_hash": Msg("must be 64 lower-case hexadecimal characters"),
    "text": Msg("must be text"),
    "too_long": Msg("at most %(n)s characters"),
}
#: check_in_context's messages (the server's alone: the phone does not check against the visit).
CONTEXT_MESSAGES = {
    "unknown_visit": Msg("not a visit of this home"),
    "other_person": Msg("not a visit of this person"),
    "other_day": Msg("the visit is on another day"),
    "before_arrival": Msg("earlier than the arrival"),
    "too_long_after_arrival": Msg("more than %(hours)s hours after the arrival"),
}


class VisitError(Msg):
    """A refusal's message that also carries its code (compared with the phone's)."""

    def __new__(cls, code, **params):
        obj = super().__new__(cls, (MESSAGES.get(code) or CONTEXT_MESSAGES[code]).template, **params)
        obj.code = code
        return obj


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _options(options):
    return ", ".join(options)


def code_hash(salt, code):
    """What the phone sends for a typed (or scanned) home code: sha256 of "<salt>:<code>" (the code without
    surrounding spaces), lower-case hex. The person's home_code_hash is the same of her code."""
    return hashlib.sha256(f"{salt}:{code.strip()}".encode("utf-8")).hexdigest()


def _is_code_hash(value):
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _check_coordinate(errors, values, key, low, high):
    value = values.get(key)
    field = f"values.{key}"
    if value is None:
        errors[field] = VisitError("required")
    elif not _is_number(value):
        errors[field] = VisitError("number")
    elif not low <= value <= high:
        errors[field] = VisitError("range", min=low, max=high)
    elif geo.round_fix(value) != value:
        errors[field] = VisitError("precision", n=geo.ROUND_DIGITS)


def _check_presence(errors, values, presence):
    if presence == FIX:
        _check_coordinate(errors, values, "lat", -90, 90)
        _check_coordinate(errors, values, "lon", -180, 180)
        accuracy = values.get("accuracy_m")
        if accuracy is None:
            errors["values.accuracy_m"] = VisitError("required")
        elif not _is_number(accuracy):
            errors["values.accuracy_m"] = VisitError("number")
        elif accuracy < 0:
            errors["values.accuracy_m"] = VisitError("negative")
    elif presence == CODE:
        if values.get("code_hash") is None:
            errors["values.code_hash"] = VisitError("required")
        elif not _is_code_hash(values["code_hash"]):
            errors["values.code_hash"] = VisitError("code_hash")
    elif values.get("presence_reason") not in PRESENCE_REASONS:
        errors["values.presence_reason"] = VisitError("option", options=_options(PRESENCE_REASONS))


def check(entry):
    """{field: VisitError} for a visit entry by itself (empty when it fits). Fields: item_id, slot, category,
    values, values.<key>, status, reason, note. A value of None counts as absent."""
    errors = {}
    for name in ("item_id", "slot", "category"):
        if entry.get(name) is not None:
            errors[name] = VisitError("not_visit_field", field=name)
    values = entry.get("values")
    if not isinstance(values, dict):
        errors["values"] = VisitError("values")
        values = {}
    for key in values:
        if key not in VALUE_KEYS:
            errors[f"values.{key}"] = VisitError("unknown")
    visit_id = values.get("visit_id")
    if not _is_int(visit_id) or visit_id <= 0:
        errors["values.visit_id"] = VisitError("visit")
    status = entry.get("status")
    if status not in EVENTS:
        errors["status"] = VisitError("option", options=_options(EVENTS))
        return errors
    note = _text(entry.get("note"))
    reason = entry.get("reason")
    allowed = set(EVENT_KEYS[status])
    if status == NO_ACCESS:
        if reason not in NO_ACCESS_REASONS:
            errors["reason"] = VisitError("reason", options=_options(NO_ACCESS_REASONS))
        elif reason == "other" and not note:
            errors["note"] = VisitError("note")
    else:
        if reason is not None:
            errors["reason"] = VisitError("no_reason")
        presence = values.get("presence")
        if presence not in PRESENCE:
            errors["values.presence"] = VisitError("option", options=_options(PRESENCE))
            allowed.update(key for keys in PRESENCE_KEYS.values() for key in keys)  # not judged without a presence
        else:
            allowed.update(PRESENCE_KEYS[presence])
            _check_presence(errors, values, presence)
    if status == LEFT:
        confirmed_by = values.get("confirmed_by")
        if confirmed_by not in CONFIRMERS:
            errors["values.confirmed_by"] = VisitError("option", options=_options(CONFIRMERS))
        elif confirmed_by == "nobody" and not note:
            errors["note"] = VisitError("note")
        duration_reason = values.get("duration_reason")
        if duration_reason is not None:
            if not isinstance(duration_reason, str):
                errors["values.duration_reason"] = VisitError("text")
            elif len(duration_reason) > DURATION_REASON_MAX:
                errors["values.duration_reason"] = VisitError("too_long", n=DURATION_REASON_MAX)
    for key, value in values.items():
        if key in VALUE_KEYS and key not in allowed and value is not None:
            errors[f"values.{key}"] = VisitError("not_for_event")
    return errors


def _seconds_after(entry, arrival):
    """Seconds from her arrival to `entry` by the phone's clock, or None when a time cannot be read."""
    start, end = clock.parse_instant(arrival.get("device_time")), clock.parse_instant(entry.get("device_time"))
    return None if start is None or end is None else (end - start).total_seconds()


def check_in_context(entry, visit, arrival):
    """{field: VisitError} for a visit entry (that passed check) against its visit and her arrival.

    visit: the visit values.visit_id names, looked up within the entry's home (dict: resident_id, day; None: not
    a visit of the home -- unknown or another home's). arrival: for a left, the arrival that stands for the same
    visit by the same author (None: none); ignored for the other events. Fields: values.visit_id, day,
    device_time (a left earlier than its arrival, or more than DURATION_MAX_HOURS after it)."""
    if visit is None:
        return {"values.visit_id": VisitError("unknown_visit")}
    errors = {}
    if visit.get("resident_id") != entry.get("resident_id"):
        errors["values.visit_id"] = VisitError("other_person")
    elif str(visit.get("day")) != str(entry.get("day")):
        errors["day"] = VisitError("other_day")
    if entry.get("status") == LEFT and arrival is not None:
        seconds = _seconds_after(entry, arrival)
        if seconds is not None and seconds < 0:
            errors["device_time"] = VisitError("before_arrival")
        elif seconds is not None and seconds > DURATION_MAX_HOURS * 3600:
            errors["device_time"] = VisitError("too_long_after_arrival", hours=DURATION_MAX_HOURS)
    return errors


def is_far(distance, radius, accuracy):
    """The fix is far from home: distance > radius + min(accuracy, radius) (all metres; see the module's text)."""
    return distance > radius + min(accuracy, radius)


def local_flags(entry, *, visit, person, arrival):
    """The flags the phone can know itself (LOCAL_FLAGS), as flags() sets them; frontend/lib/visits.js localFlags.

    visit: dict with planned_minutes; person: dict with lat, lon (None: her home's location is not kept -- no
    "far") and radius_m (None: RADIUS_M); arrival: the standing arrival of the same visit by the same author, or
    None.
    - far: {"distance_m": int, "radius_m": int, "accuracy_m": number} -- a fix (arrived or left) is_far;
    - no_location: {"presence_reason": str} -- arrived or left with presence "none";
    - left_without_arrival: True -- a left with no arrival;
    - duration_off_plan: {"minutes": whole minutes from the arrival, "planned_minutes": int} -- a left whose time
      from its arrival differs from the plan by DURATION_OFF_MINUTES or more, with no duration_reason."""
    out = {}
    status = entry.get("status")
    if status not in (ARRIVED, LEFT):
        return out
    values = entry.get("values") or {}
    presence = values.get("presence")
    if presence == FIX and person is not None and geo.valid_fix(person.get("lat"), person.get("lon")):
        radius = person.get("radius_m")
        radius = RADIUS_M if radius is None else radius
        distance = geo.distance_m(person["lat"], person["lon"], values["lat"], values["lon"])
        if is_far(distance, radius, values["accuracy_m"]):
            out["far"] = {"distance_m": distance, "radius_m": radius, "accuracy_m": values["accuracy_m"]}
    elif presence == NONE:
        out["no_location"] = {"presence_reason": values.get("presence_reason")}
    if status == LEFT:
        if arrival is None:
            out["left_without_arrival"] = True
        else:
            planned = (visit or {}).get("planned_minutes")
            seconds = _seconds_after(entry, arrival)
            if (_is_int(planned) and seconds is not None and not _text(values.get("duration_reason"))
                    and abs(seconds - planned * 60) >= DURATION_OFF_MINUTES * 60):
                out["duration_off_plan"] = {"minutes": math.floor(seconds / 60), "planned_minutes": planned}
    return out


def flags(entry, *, visit, person, arrival, assigned, server_now, device_now, code_hash_expected):
    """{flag: detail} the server stores in entry.flags for a visit entry that passed check and check_in_context
    (empty: nothing to note). Never a refusal.

    visit: dict (planned_minutes, cancelled_at); person: dict (lat, lon, radius_m); arrival: the standing arrival
    of the same visit by the same author -- for a left, the one it closes; for an arrived, another one before it
    (not the one it corrects); None: none. assigned: whether the author is a current carer of the visit (None: not
    known, not flagged). server_now: the server's aware time at the push; device_now: the phone's clock the push
    carried (ISO 8601 with offset, or an aware datetime; None or unreadable: not flagged). code_hash_expected: the
    person's home_code_hash (None: she has no home code).

    The flags, with local_flags' four (far, no_location, left_without_arrival, duration_off_plan):
    - wrong_code: {"code_set": bool} -- presence "code" whose hash is not hers (code_set false: she has none);
    - clock_off: {"off_s": int, the phone's clock minus the server's, seconds} -- more than CLOCK_OFF_SECONDS off;
    - not_assigned: True -- the author is not a current carer of the visit;
    - second_arrival: {"first_id": the standing arrival's id} -- an arrival where hers stands already;
    - cancelled_visit: {"cancelled_at": ISO 8601 or the stored text} -- the visit was cancelled."""
    status = entry.get("status")
    values = entry.get("values") or {}
    out = local_flags(entry, visit=visit, person=person, arrival=arrival)
    if status in (ARRIVED, LEFT) and values.get("presence") == CODE:
        given = values.get("code_hash") or ""
        if not code_hash_expected or not hmac.compare_digest(str(code_hash_expected), given):
            out["wrong_code"] = {"code_set": bool(code_hash_expected)}
    device, server = clock.parse_instant(device_now), clock.parse_instant(server_now)
    if device is not None and server is not None:
        off = (device - server).total_seconds()
        if abs(off) > CLOCK_OFF_SECONDS:
            out["clock_off"] = {"off_s": round(off)}
    if assigned is False:
        out["not_assigned"] = True
    if status == ARRIVED and arrival is not None and arrival.get("id") != entry.get("supersedes"):
        out["second_arrival"] = {"first_id": arrival.get("id")}
    cancelled_at = (visit or {}).get("cancelled_at")
    if cancelled_at:
        out["cancelled_visit"] = {"cancelled_at": cancelled_at.isoformat() if hasattr(cancelled_at, "isoformat")
                                  else str(cancelled_at)}
    return {key: out[key] for key in FLAGS if key in out}


def correction_key(entry):
    """What a visit entry is about, which a correction keeps: its visit and its event."""
    values = entry.get("values")
    return (values.get("visit_id") if isinstance(values, dict) else None), entry.get("status")
