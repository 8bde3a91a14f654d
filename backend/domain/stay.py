"""A resident's stay: the events that make it (admission, details, move, absence and return, discharge, death,
re-admission), which follow which, and when she is away from the home.

Choices where the sources are silent (docs/domain.md, "A resident's stay"):
- An absence (hospital, leave, other) and a discharge or death take effect at a moment, not a day: the morning
  items before she left for hospital at 14:00 were due, the evening ones are not. She is away from that moment
  until her return (or re-admission). A slot is not due -- neither missed nor counted in completion -- when any
  part of its window (it opens 30 min before its time and is missed after the grace period) lies in time she was
  away: a nurse is never held to a slot the resident was not there for. What was recorded still stands and is
  shown; an entry made while she was away is stored and flagged (`resident_away`), never refused.
- A move changes her unit, post, room or bed from a moment on; her card follows her (it is hers, not the post's);
  entries stay with the unit where they were recorded.
- After discharge or death her stay is over: nothing further is due, the post no longer lists her, relatives'
  links end; her record, her cards and entries stay readable and printable. Re-admission opens a new stay
  (after discharge only: a death is final).
Times here are the home's local naive datetimes; the caller converts.
"""
from datetime import date, datetime, timedelta

from .messages import Msg

KINDS = ("admission", "details", "move", "absence", "return", "discharge", "death", "readmission")
#: What a person records (admission comes with the resident, `services/residents.admit`).
RECORDED_KINDS = KINDS[1:]
ABSENCES = ("hospital", "leave", "other")
STATUSES = ("present", "away", "discharged", "deceased")
#: In the home's census (listed by the post, counted in the figures): present or away for a while.
IN_CARE = ("present", "away")
#: kind -> (statuses it may follow, the status after it; None: unchanged)
TRANSITIONS = {
    "admission": ((None,), "present"),
    "details": (STATUSES, None),
    "move": (IN_CARE, None),
    "absence": (("present",), "away"),
    "return": (("away",), "present"),
    "discharge": (IN_CARE, "discharged"),
    "death": (IN_CARE, "deceased"),
    "readmission": (("discharged",), "present"),
}
#: Kinds that need a reason: what a reviewer (or an inspector reading the personal file) must be able to read.
NEEDS_REASON = ("absence", "discharge", "death", "readmission")
#: Kinds that start time away, and the kinds that end it.
LEAVES = ("absence", "discharge", "death")
COMES_BACK = ("return", "readmission")
#: How far ahead of the server's clock an event may be dated (a tablet's clock a little fast).
FUTURE_TOLERANCE = timedelta(minutes=5)
DAY_MINUTES = 24 * 60


def status_after(status, kind):
    return TRANSITIONS[kind][1] or status


def check(status, kind, at, now, last_at=None, reason="", absence=None):
    """Why this event cannot be recorded now ({field: Msg}); empty when it can. `at`, `now`, `last_at`: the same
    clock (the home's local time); `last_at`: when the latest recorded event of her stay took effect."""
    if kind not in TRANSITIONS:
        return {"kind": Msg("must be one of %(options)s", options=", ".join(RECORDED_KINDS))}
    allowed, _after = TRANSITIONS[kind]
    if status not in allowed:
        return {"kind": STATUS_MESSAGES.get((kind, status), Msg("not possible while she is %(status)s",
                                                                status=status))}
    errors = {}
    if at > now + FUTURE_TOLERANCE:
        errors["at"] = Msg("cannot be in the future")
    elif last_at is not None and at < last_at:
        errors["at"] = Msg("must not be before the last recorded event of her stay")
    if kind in NEEDS_REASON and not (reason or "").strip():
        errors["reason"] = Msg("a reason is required")
    if kind == "absence" and absence not in ABSENCES:
        errors["absence"] = Msg("must be one of %(options)s", options=", ".join(ABSENCES))
    return errors


STATUS_MESSAGES = {
    ("return", "present"): Msg("she is not away"),
    ("absence", "away"): Msg("she is away already: record her return first"),
    ("readmission", "present"): Msg("she is in the home"),
    ("readmission", "away"): Msg("she is in the home"),
    ("readmission", "deceased"): Msg("a death is final"),
    ("absence", "discharged"): Msg("her stay has ended"),
    ("absence", "deceased"): Msg("her stay has ended"),
    ("move", "discharged"): Msg("her stay has ended"),
    ("move", "deceased"): Msg("her stay has ended"),
    ("discharge", "discharged"): Msg("her stay has ended"),
    ("discharge", "deceased"): Msg("her stay has ended"),
    ("death", "discharged"): Msg("her stay has ended"),
    ("death", "deceased"): Msg("her stay has ended"),
}


def away_periods(events):
    """[(from, until or None)] she was away, from events (dicts with kind and at, the home's local time) in the
    order they took effect."""
    periods, start = [], None
    for e in sorted(events, key=lambda e: e["at"]):
        if e["kind"] in LEAVES and start is None:
            start = e["at"]
        elif e["kind"] in COMES_BACK and start is not None:
            periods.append((start, e["at"]))
            start = None
    if start is not None:
        periods.append((start, None))
    return periods


def _minutes(moment: datetime, day: date):
    delta = moment - datetime.combine(day, datetime.min.time())
    return int(delta.total_seconds() // 60)


def windows(periods, day: date):
    """The parts of `day` she was away, as [start, end) minutes into the day (0..1440), in order."""
    out = []
    for start, until in periods:
        a = max(0, _minutes(start, day))
        b = DAY_MINUTES if until is None else min(DAY_MINUTES, _minutes(until, day))
        if a < b and a < DAY_MINUTES and b > 0:
            out.append((a, b))
    return sorted(out)


def slot_away(away, start, due):
    """Whether a slot whose window is [start, due) minutes overlaps time she was away (then it is not due)."""
    return any(a < max(due, start + 1) and b > start for a, b in away)


def away_all_day(away):
    return any(a <= 0 and b >= DAY_MINUTES for a, b in away)


def in_care_on(day: date, admitted_on=None, left_on=None):
    """Whether her stay covers `day` (admitted on or before it, and not left before it)."""
    return (admitted_on is None or admitted_on <= day) and (left_on is None or left_on >= day)
