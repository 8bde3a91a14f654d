"""Home visits (issue 18, sections 3 and 5): whether a visit is verified, where it stands on the dispatcher's board
at a moment, and which finished visits get a follow-up call. Plain rules: the visit, its entries, the person, the
carers, the clock and the home's time zone are arguments; no models, no database.

Dicts read here:
- visit: id, resident_id, day (date or "YYYY-MM-DD", the home's local calendar day), start_time ("HH:MM", the home's
  local wall clock), planned_minutes, item_ids (card item ids), cancelled_at (None, an aware datetime, a naive one
  read as UTC, or ISO text), timezone (an IANA name, e.g. "Asia/Shanghai"; board_state also takes it as an argument)
  and location_accepted (bool, verification only: a supervisor accepted the carer's reason for showing no location
  -- she reviewed a presence "none" or a far fix and found it honest; the service layer keeps that decision).
- entries: the STANDING entry dicts (entries.standing: not superseded) of the visit's person and day -- kinds
  "visit" (status arrived / left / no_access, values.visit_id) and "tick" (item_id, status done / not_done) --
  with id, resident_id, day, author_id, device_time (ISO 8601 with offset), values, flags ({flag: detail} or a list
  of flag names), key_id and optionally `signed` (bool; when present it wins over key_id).
- person: lat, lon (None: her home's location is not kept), radius_m (None: visits.RADIUS_M), id (optional).

"Signed by an assigned carer": an entry whose author_id is in assigned_ids (the visit's current carers) and that is
signed -- `signed` true, or (without `signed`) a key_id: the push refuses an entry whose signature does not verify
against its key (bad_signature), so a stored key_id means the carer's phone signed it. A supervisor's amendment
made on the web carries no key_id: it may correct the times, it never signs for the carer.
"""
import hashlib
import math
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from . import geo, schedule, visits
from .messages import Msg

# -- verification: the six elements of electronic visit verification (EVV) --
SERVICE, PERSON, DAY, LOCATION, CARER, TIMES = "service", "person", "day", "location", "carer", "times"
ELEMENTS = (SERVICE, PERSON, DAY, LOCATION, CARER, TIMES)
#: What each missing element means, for the dispatcher, the inspector and the settlement's "unverified" list.
ELEMENT_MESSAGES = {
    SERVICE: Msg("no service item of the visit was recorded as done by its carer"),
    PERSON: Msg("no arrival or departure names the visit's person"),
    DAY: Msg("the arrival is not on the visit's day"),
    LOCATION: Msg("presence at her home is not shown: no fix within the radius, no right code, no accepted reason"),
    CARER: Msg("no entry signed by an assigned carer"),
    TIMES: Msg("the arrival and departure times are not both recorded"),
}

# -- the board --
PLANNED, ON_PHONE, ARRIVED, LEFT, NO_ACCESS = "planned", "on_phone", "arrived", "left", "no_access"
LATE, PHONE_SILENT, MISSED, CANCELLED = "late", "phone_silent", "missed", "cancelled"
STATES = (PLANNED, ON_PHONE, ARRIVED, LEFT, NO_ACCESS, LATE, PHONE_SILENT, MISSED, CANCELLED)
#: The board's words for each state ("since" is shown after them when the state has one).
STATE_MESSAGES = {
    PLANNED: Msg("visit planned"),
    ON_PHONE: Msg("on the carer's phone"),
    ARRIVED: Msg("carer arrived"),
    LEFT: Msg("carer left"),
    NO_ACCESS: Msg("no access to her home"),
    LATE: Msg("carer late"),
    PHONE_SILENT: Msg("carer's phone silent"),
    MISSED: Msg("visit missed"),
    CANCELLED: Msg("visit cancelled"),
}


def _day(value):
    return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value))


def _aware(value):
    """An aware datetime from an aware datetime, a naive one (read as UTC: how the database keeps times) or ISO
    text (with an offset, or read as UTC); None for None or what cannot be read."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value))  # Python 3.11 reads "Z"
        except ValueError:
            return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_start(visit, zone):
    """The visit's planned start as an aware instant: its day and start_time on the home's wall clock (`zone`, an
    IANA name). A wall time that does not exist (the spring DST gap: 02:30 in Berlin on the last Sunday of March)
    is read with the offset before the change, i.e. moved forward by the gap (02:30 -> 03:30 summer time); a wall
    time that occurs twice (the autumn change) is its first occurrence. Normalised through UTC, so the result is
    always a real instant."""
    tz = ZoneInfo(zone)
    minutes = schedule.parse_hhmm(visit["start_time"])
    wall = datetime.combine(_day(visit["day"]), time(minutes // 60, minutes % 60), tzinfo=tz)  # fold=0
    return wall.astimezone(UTC).astimezone(tz)


def planned_end(visit, zone):
    """The planned end: the start plus planned_minutes of elapsed time (across a DST change, the wall clock shows
    an hour more or less than the plan's length; the carer still works planned_minutes)."""
    start = local_start(visit, zone)
    return (start.astimezone(UTC) + timedelta(minutes=visit.get("planned_minutes") or 0)).astimezone(
        start.tzinfo)


def _values(entry):
    values = entry.get("values")
    return values if isinstance(values, dict) else {}


def _flag_names(entry):
    flags = entry.get("flags") or {}
    return set(flags) if isinstance(flags, (dict, list, tuple, set)) else set()


def _signed(entry):
    return bool(entry["signed"]) if "signed" in entry else bool(entry.get("key_id"))


def visit_entries(visit, entries, status=None):
    """The standing visit entries of this visit (values.visit_id), of one event when `status` is given."""
    return [e for e in entries if e.get("kind") == visits.KIND and _values(e).get("visit_id") == visit["id"]
            and (status is None or e.get("status") == status)]


def _times(entries):
    return [t for t in (_aware(e.get("device_time")) for e in entries) if t is not None]


def items_done(visit, entries, assigned_ids):
    """The visit's card items (item_ids) ticked "done" on its day by one of its carers (assigned_ids), in item_ids'
    order: the service element, and what the settlement bills."""
    assigned, day = set(assigned_ids), str(_day(visit["day"]))
    done = {e.get("item_id") for e in entries
            if e.get("kind") == "tick" and e.get("status") == "done" and e.get("author_id") in assigned
            and str(e.get("day")) == day}
    return [i for i in visit.get("item_ids") or [] if i in done]


def delivered_minutes(visit, entries):
    """Whole minutes from the earliest standing arrival of the visit to its latest standing departure (the phones'
    clocks); None without both, or when the departure is earlier."""
    return _minutes(visit_entries(visit, entries, visits.ARRIVED), visit_entries(visit, entries, visits.LEFT))


def _minutes(arrivals, departures):
    arrived, left = _times(arrivals), _times(departures)
    if not arrived or not left or max(left) < min(arrived):
        return None
    return math.floor((max(left) - min(arrived)).total_seconds() / 60)


def _shows_location(entry, person):
    """Whether one arrival or departure shows she was at the home: a fix not far (visits.is_far) from a kept home
    location, or the home code with no wrong_code flag."""
    values = _values(entry)
    presence = values.get("presence")
    if presence == visits.CODE:
        return bool(values.get("code_hash")) and "wrong_code" not in _flag_names(entry)
    if presence == visits.FIX:
        person = person or {}
        if not geo.valid_fix(person.get("lat"), person.get("lon")):
            return False  # no kept home location: a fix proves nothing
        if not geo.valid_fix(values.get("lat"), values.get("lon")):
            return False
        radius = visits.RADIUS_M if person.get("radius_m") is None else person["radius_m"]
        distance = geo.distance_m(person["lat"], person["lon"], values["lat"], values["lon"])
        accuracy = values.get("accuracy_m")
        return not visits.is_far(distance, radius, accuracy if isinstance(accuracy, (int, float)) else 0)
    return False


def verification(visit, entries, person, assigned_ids):
    """{"verified": bool, "missing": [element codes, in ELEMENTS' order]} for a visit (the six EVV elements).

    - service: at least one of the visit's items ticked "done" on its day by an assigned carer (items_done);
    - person: a standing arrival or departure of the visit names the visit's person (resident_id; and person["id"],
      when given, is that person);
    - day: the earliest standing arrival carries the visit's day and its device_time falls on that day on the home's
      wall clock (visit["timezone"]; without one, the phone's own offset);
    - location: one standing arrival or departure shows presence (a fix not far from a kept home location, or the
      right code), or visit["location_accepted"] with at least one arrival or departure recorded;
    - carer: a standing arrival or departure of the visit signed by an assigned carer (see the module's text);
    - times: a standing arrival and a standing departure with readable times, the departure not earlier.
    A cancelled visit is judged on its evidence like any other; the settlement lists it apart as cancelled."""
    found = evidence(visit, entries, person, assigned_ids)
    return {"verified": found["verified"], "missing": found["missing"]}


def evidence(visit, entries, person, assigned_ids):
    """What the visit's standing entries show, read once: verification's verdict ("verified", "missing") with what it
    found on the way -- "items_done" (items_done), "minutes" (delivered_minutes), "departed" (a standing departure of
    its own: the board's left) and "flags" (the board's). The inspector's month reads a region's visits with it."""
    assigned = set(assigned_ids)
    rows = visit_entries(visit, entries)
    arrivals = [e for e in rows if e.get("status") == visits.ARRIVED]
    departures = [e for e in rows if e.get("status") == visits.LEFT]
    present = arrivals + departures
    done = items_done(visit, entries, assigned)
    minutes = _minutes(arrivals, departures)
    missing = []
    if not done:
        missing.append(SERVICE)
    if (not any(e.get("resident_id") == visit.get("resident_id") for e in present)
            or (person or {}).get("id", visit.get("resident_id")) != visit.get("resident_id")):
        missing.append(PERSON)
    if not _on_day(visit, arrivals):
        missing.append(DAY)
    if not (any(_shows_location(e, person) for e in present) or (visit.get("location_accepted") and present)):
        missing.append(LOCATION)
    if not any(e.get("author_id") in assigned and _signed(e) for e in present):
        missing.append(CARER)
    if minutes is None:
        missing.append(TIMES)
    return {"verified": not missing, "missing": missing, "items_done": done, "minutes": minutes,
            "departed": bool(departures), "flags": _flags(rows)}


def _on_day(visit, arrivals):
    day = _day(visit["day"])
    timed = [(t, e) for e in arrivals if (t := _aware(e.get("device_time"))) is not None]
    if not timed:
        return False
    first_at, first = min(timed, key=lambda pair: pair[0])
    if str(first.get("day")) != str(day):
        return False
    zone = visit.get("timezone")
    return (first_at.astimezone(ZoneInfo(zone)) if zone else first_at).date() == day


# -- the board --------------------------------------------------------------------------------------------------

def _iso(at, tz):
    return None if at is None else at.astimezone(tz).isoformat()


def _flags(visit_rows):
    names = set()
    for entry in visit_rows:
        names |= _flag_names(entry)
    return [f for f in visits.FLAGS if f in names] + sorted(n for n in names if n not in visits.FLAGS)


def board_state(visit, entries, now, *, carer_last_sync, pulled_at, zone=None):
    """{"state": one of STATES, "since": ISO 8601 in the home's zone or None, "flags": [flag names]} of a visit at
    `now` (aware).

    entries: the standing entries of the visit's person and day (only this visit's visit entries are read);
    carer_last_sync: her phone's last sync (pull or push) -- of the carers, the latest -- aware, naive (UTC) or ISO,
    None: never; pulled_at: when a pull of her phone first carried this visit (None: not yet); zone: the home's IANA
    time zone (else visit["timezone"]). flags: those of the visit's standing entries, in visits.FLAGS' order.

    In order, the first that holds:
    1. cancelled (visit.cancelled_at), since then;
    2. from its standing entries: left when every carer who arrived has left (a departure without an arrival counts),
       since the latest departure; arrived, since the earliest arrival; no_access, since its time. An arrival means
       she got in, so it wins over a no access (a team visit, or the person came home);
    3. missed: from the planned end + MISSED_MINUTES with no arrival, since that moment;
    4. late / phone_silent: from the start + LATE_MINUTES with no arrival: late (since that moment) when her phone
       synced at or after the start -- it works, she is not there; phone_silent when it did not, since her last
       sync (None: never synced) -- the dispatcher calls her, the visit may be done offline;
    5. before that: on_phone when her pull has carried the visit (since pulled_at), else planned (since None)."""
    tz = ZoneInfo(zone or visit["timezone"])
    rows = visit_entries(visit, entries)
    flags = _flags(rows)

    def out(state, since=None):
        return {"state": state, "since": _iso(since, tz), "flags": flags}

    if visit.get("cancelled_at"):
        return out(CANCELLED, _aware(visit["cancelled_at"]))
    arrived = [e for e in rows if e.get("status") == visits.ARRIVED]
    left = [e for e in rows if e.get("status") == visits.LEFT]
    if left:
        still_in = {e.get("author_id") for e in arrived} - {e.get("author_id") for e in left}
        if not still_in:
            return out(LEFT, max(_times(left), default=None))
    if arrived:
        return out(ARRIVED, min(_times(arrived), default=None))
    no_access = [e for e in rows if e.get("status") == visits.NO_ACCESS]
    if no_access:
        return out(NO_ACCESS, max(_times(no_access), default=None))
    now = _aware(now)
    start = local_start(visit, tz.key)
    missed_at = planned_end(visit, tz.key) + timedelta(minutes=visits.MISSED_MINUTES)
    if now >= missed_at:
        return out(MISSED, missed_at)
    late_at = start + timedelta(minutes=visits.LATE_MINUTES)
    if now >= late_at:
        synced = _aware(carer_last_sync)
        if synced is not None and synced >= start:
            return out(LATE, late_at)
        return out(PHONE_SILENT, synced)
    pulled = _aware(pulled_at)
    return out(ON_PHONE, pulled) if pulled is not None else out(PLANNED)


# -- follow-up calls (回访) ---------------------------------------------------------------------------------------

def _rank(week_key, visit_id):
    return hashlib.sha256(f"{week_key}:{visit_id}".encode()).hexdigest()


def follow_up_size(count, share=visits.FOLLOW_UP_SHARE):
    """How many of `count` finished visits get a call: share x count rounded up (exactly: 5 % of 60 is 3, not 4),
    at least one when any finished."""
    return 0 if count <= 0 else max(1, math.ceil(Fraction(str(share)) * count))


def follow_up_sample(finished_visit_ids, week_key, share=visits.FOLLOW_UP_SHARE):
    """The finished visits of a week that get a follow-up call, sorted by id: those whose sha256("<week_key>:<id>")
    is smallest, follow_up_size of them. Deterministic -- the same ids and week give the same sample whatever their
    order or repeats, so the dispatcher cannot pick the calls and an inspector can recompute them -- and spread
    like a random draw, a new one each week. (Anyone who knows the rule can foresee it: it is an audit sample, not
    a secret.)"""
    ids = sorted(set(finished_visit_ids))
    chosen = sorted(ids, key=lambda i: (_rank(week_key, i), i))[:follow_up_size(len(ids), share)]
    return sorted(chosen)
