"""Care-card item schedules and their expansion into the day's time slots.

A slot is one expected recording of an item on one care day. The care day is the home's calendar
day (00:00-24:00 local time). Shifts: day 08:00-20:00 and night 20:00-24:00 within that day;
night work after midnight belongs to the next care day (recorded in docs/domain.md).
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from .messages import Msg

KINDS = ("times", "every_hours", "per_shift", "as_needed", "monthly", "every_days", "every_weeks", "dates")
#: Services less often than daily (docs/domain.md, "Periodic services"): no time slots; one recording per period.
PERIODIC = ("monthly", "every_days", "every_weeks", "dates")
#: A periodic item's slot key names its period: "p:" and the period's first (nominal) day.
PERIOD_PREFIX = "p:"
MAX_DATES = 31
SHIFTS = {"day": (8 * 60, 20 * 60), "night": (20 * 60, 24 * 60)}
#: A timed slot opens this many minutes before its time.
OPENS_BEFORE = 30


@dataclass(frozen=True)
class Slot:
    key: str       # "08:00", or "shift:day"
    start: int     # minutes after midnight when the slot opens
    time: int      # nominal time (minutes after midnight), used for ordering
    due: int       # minutes after midnight after which the slot is overdue


def parse_hhmm(text):
    """'08:30' -> 510; raises ValueError on anything else."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise ValueError(text)
    hours, minutes = int(text[:2]), int(text[3:])
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(text)
    return hours * 60 + minutes


def fmt_hhmm(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def validate(kind, params, days_of_week=None):
    """Return a dict of field -> message for an invalid schedule, empty when valid."""
    errors = {}
    params = params or {}
    if kind not in KINDS:
        return {"schedule_kind": Msg("must be one of %(options)s", options=", ".join(KINDS))}
    if kind == "times":
        times = params.get("times")
        if not isinstance(times, list) or not times:
            errors["times"] = Msg("at least one time of day (HH:MM) is required")
        else:
            try:
                parsed = [parse_hhmm(t) for t in times]
                if len(set(parsed)) != len(parsed):
                    errors["times"] = Msg("times must not repeat")
            except (ValueError, TypeError):
                errors["times"] = Msg("times must be HH:MM")
    elif kind == "every_hours":
        hours = params.get("hours")
        if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 12:
            errors["hours"] = Msg("must be a whole number of hours from 1 to 12")
        try:
            parse_hhmm(params.get("start", "00:00"))
        except (ValueError, TypeError):
            errors["start"] = Msg("must be HH:MM")
    elif kind == "per_shift":
        shifts = params.get("shifts", list(SHIFTS))
        if not isinstance(shifts, list) or not shifts or any(s not in SHIFTS for s in shifts):
            errors["shifts"] = Msg("must be a non-empty list of %(options)s", options=", ".join(SHIFTS))
    elif kind in PERIODIC:
        errors.update(_validate_periodic(kind, params))
        if days_of_week:
            errors["days_of_week"] = Msg("days of the week do not apply to a service less often than daily")
            return errors
    if days_of_week is not None:
        if (not isinstance(days_of_week, list) or not days_of_week
                or any(not isinstance(d, int) or not 1 <= d <= 7 for d in days_of_week)):
            errors["days_of_week"] = Msg("must be ISO weekdays 1 (Monday) to 7 (Sunday)")
    return errors


def _whole(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _iso(value):
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(value)
    return date.fromisoformat(value)


def _validate_periodic(kind, params):
    errors = {}
    if kind == "monthly":
        if params.get("day") is not None and not _whole(params.get("day"), 1, 31):
            errors["day"] = Msg("must be a day of the month from 1 to 31, or empty for any day of the month")
    elif kind in ("every_days", "every_weeks"):
        key, high = ("days", 366) if kind == "every_days" else ("weeks", 52)
        if not _whole(params.get(key), 1, high):
            errors[key] = Msg("must be a whole number from 1 to %(n)s", n=high)
        try:
            _iso(params.get("from"))
        except (ValueError, TypeError):
            errors["from"] = Msg("the first day is required (YYYY-MM-DD)")
    elif kind == "dates":
        dates = params.get("dates")
        try:
            parsed = [_iso(d) for d in dates] if isinstance(dates, list) else None
        except (ValueError, TypeError):
            parsed = None
        if not parsed or len(parsed) > MAX_DATES:
            errors["dates"] = Msg("from 1 to %(n)s dates (YYYY-MM-DD) are required", n=MAX_DATES)
        elif len(set(parsed)) != len(parsed):
            errors["dates"] = Msg("dates must not repeat")
    return errors


def slots(kind, params, grace_minutes=60):
    """The slots of one day for a schedule, in time order. 'as_needed' and the periodic kinds have none."""
    params = params or {}
    if kind == "times":
        out = []
        for t in sorted(parse_hhmm(x) for x in params["times"]):
            out.append(Slot(fmt_hhmm(t), max(0, t - OPENS_BEFORE), t, min(24 * 60, t + grace_minutes)))
        return out
    if kind == "every_hours":
        step = params["hours"] * 60
        t = parse_hhmm(params.get("start", "00:00"))
        out = []
        while t < 24 * 60:
            out.append(Slot(fmt_hhmm(t), max(0, t - OPENS_BEFORE), t, min(24 * 60, t + grace_minutes)))
            t += step
        return out
    if kind == "per_shift":
        chosen = params.get("shifts", list(SHIFTS))
        return [Slot("shift:" + name, SHIFTS[name][0], SHIFTS[name][0], SHIFTS[name][1])
                for name in SHIFTS if name in chosen]
    return []


def applies_on(day: date, days_of_week=None, valid_from: date | None = None, valid_to: date | None = None):
    """Whether an item is scheduled at all on this care day."""
    if valid_from and day < valid_from:
        return False
    if valid_to and day > valid_to:
        return False
    return not days_of_week or day.isoweekday() in days_of_week


# --- periodic services (docs/domain.md, "Periodic services") ------------------------------------------------------

@dataclass(frozen=True)
class Period:
    key: str       # "p:YYYY-MM-DD": the period's nominal first day, the slot its recordings carry
    due: date      # the day it is first offered (its nominal first day)
    end: date      # its last day: it is missed if nothing is recorded for it by then


def periods(kind, params, month: date):
    """The periods of a periodic schedule that begin in `month` (any day of it), in order. A period never runs past
    the end of its month (the card is the month's: the month close settles it). Monthly: the month, offered from
    its day (the month's last day when the month is shorter) or, with no day, from the 1st ("once in the month").
    Every N days (weeks): due on `from`, from + N, ... (no earlier), each period running until the next is due.
    Given dates: each date is a period of one day."""
    params = params or {}
    first = month.replace(day=1)
    last = first.replace(day=monthrange(first.year, first.month)[1])
    if kind == "monthly":
        day = params.get("day")
        due = first.replace(day=min(day, last.day)) if day else first
        return [Period(PERIOD_PREFIX + due.isoformat(), due, last)]
    if kind in ("every_days", "every_weeks"):
        step = params["days"] if kind == "every_days" else params["weeks"] * 7
        start = _iso(params["from"])
        if start > last:
            return []
        k = max(0, -(-(first - start).days // step))  # the first due day on or after the 1st
        out = []
        due = start + timedelta(days=k * step)
        while due <= last:
            out.append(Period(PERIOD_PREFIX + due.isoformat(), due, min(last, due + timedelta(days=step - 1))))
            due += timedelta(days=step)
        return out
    if kind == "dates":
        days = sorted({_iso(d) for d in params.get("dates") or []})
        return [Period(PERIOD_PREFIX + d.isoformat(), d, d) for d in days if first <= d <= last]
    return []


def period_on(kind, params, day: date):
    """The period that `day` lies in (between its due day and its end), or None."""
    for p in periods(kind, params, day):
        if p.due <= day <= p.end:
            return p
    return None
