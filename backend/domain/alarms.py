"""Alarms of home devices (issue 18): what the intake accepts, when a repeat counts once, the order of an alarm's
steps, and the acknowledgement times the inspector reads. Pure: times are aware or naive UTC datetimes given in.

- A device's alarm names its kind (homecare_codes.DEVICE_KINDS: a bracelet may raise a fall) and may carry the
  device's own time with its offset and a short text. The device's clock is believed unless it is implausible
  (more than CLOCK_AHEAD in the future or CLOCK_BEHIND in the past of the server's receipt): then the receipt's time
  is taken, and the intake records that the clock was off. An alarm is never refused for its device's clock.
- Repeats: the same device's alarm of the same kind raised less than ALARM_REPEAT_SECONDS after (or before) one
  already stored counts once, whether that one is still open or not.
- Steps (homecare_codes.ALARM_STEPS): "acknowledged" once; a step other than "acknowledged" on an unacknowledged
  alarm acknowledges it first (the same person, the same moment: calling the family is answering the alarm);
  family_told, emergency_called and carer_sent may repeat (a second call); "closed" ends the alarm and nothing
  follows it.
- Time to acknowledge: from the server's receipt (not the device's clock) to the first "acknowledged" step.
  Percentiles are by nearest rank: always a time that was observed.
"""
import math
from datetime import timedelta, timezone

from . import clock
from .errors import Conflict
from .homecare_codes import ALARM_REPEAT_SECONDS, ALARM_STEPS, DEVICE_KINDS
from .messages import Msg

#: What an alarm's kind may be: any device kind (a bracelet raises a fall or an SOS).
ALARM_KINDS = DEVICE_KINDS
#: The longest `detail` a device may send (characters).
DETAIL_MAX = 500
#: A device time further ahead of the server's receipt than this is taken for a wrong clock.
CLOCK_AHEAD = timedelta(minutes=5)
#: ... and further behind it than this (a device that kept an alarm while offline for a day may still send it).
CLOCK_BEHIND = timedelta(hours=24)
#: At most this many intake requests per device token in one second (more: 429). Counted per server process.
INTAKE_PER_SECOND = 5
#: Steps that may be recorded more than once.
REPEATABLE_STEPS = ("family_told", "emergency_called", "carer_sent")
#: The longest note of a step and outcome of a close.
NOTE_MAX = 2000


def utc_naive(moment):
    """Naive UTC (as the database keeps times)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def validate_intake(body):
    """Problems of an intake body ({"kind", "at", "detail"}) as {field: Msg}; empty when it is acceptable."""
    errors = {}
    kind = body.get("kind")
    if not kind:
        errors["kind"] = Msg("required")
    elif kind not in ALARM_KINDS:
        errors["kind"] = Msg("unknown alarm type; one of: %(kinds)s", kinds=", ".join(ALARM_KINDS))
    at = body.get("at")
    if at is not None and parse_device_time(at) is None:
        errors["at"] = Msg("must be a date and time in ISO 8601 with its offset (2026-11-25T10:00:00+08:00)")
    detail = body.get("detail")
    if detail is not None and len(detail) > DETAIL_MAX:
        errors["detail"] = Msg("at most %(n)s characters", n=DETAIL_MAX)
    return errors


def parse_device_time(text):
    """An ISO 8601 time with its offset as an aware datetime; None when it is not one (or has no offset)."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    return clock.parse_instant(text)


def raised_time(device_at, received_at):
    """(raised_at, clock_off): when the alarm was raised, as naive UTC. The device's time when it sent a
    plausible one; otherwise (none sent, or its clock is off: see the module's text) the receipt's."""
    received = utc_naive(received_at)
    if device_at is None:
        return received, False
    at = utc_naive(device_at)
    if at - received > CLOCK_AHEAD or received - at > CLOCK_BEHIND:
        return received, True
    return at, False


def minute_of(moment):
    """The minute a time falls in (seconds cut off): alarm.raised_minute."""
    return utc_naive(moment).replace(second=0, microsecond=0)


def repeat_window(raised_at):
    """(first, last): the raised times of the same device and kind that make an alarm raised at `raised_at` a
    repeat (both ends excluded)."""
    window = timedelta(seconds=ALARM_REPEAT_SECONDS)
    at = utc_naive(raised_at)
    return at - window, at + window


def is_repeat(previous_raised_at, raised_at):
    """Is an alarm raised at `raised_at` a repeat of one of the same device and kind raised at
    `previous_raised_at`? Less than ALARM_REPEAT_SECONDS apart."""
    return abs((utc_naive(raised_at) - utc_naive(previous_raised_at)).total_seconds()) < ALARM_REPEAT_SECONDS


def within_rate(recent, now, limit=INTAKE_PER_SECOND, period=1.0):
    """May one more request come at `now` (seconds, any monotonic scale) after the `recent` ones (same scale)?
    At most `limit` in any `period`."""
    return sum(1 for t in recent if now - t < period) < limit


def steps_to_record(existing, step):
    """The steps to append when `step` is recorded on an alarm whose steps so far are `existing` (their names, in
    order): [step], or ["acknowledged", step] on an unacknowledged alarm. Raises Conflict when the alarm is closed
    or `step` is a second acknowledgement. `step` is one of ALARM_STEPS (the schema checks it)."""
    if step not in ALARM_STEPS:
        raise ValueError(step)
    if "closed" in existing:
        raise Conflict(Msg("This alarm is closed: nothing can be added to it."), code="alarm_closed")
    acknowledged = "acknowledged" in existing
    if step == "acknowledged":
        if acknowledged:
            raise Conflict(Msg("This alarm has been acknowledged already."), code="already_acknowledged")
        return ["acknowledged"]
    return [step] if acknowledged else ["acknowledged", step]


def acknowledgement_seconds(received_at, steps):
    """Seconds from the alarm's receipt to its first "acknowledged" step ((name, at) pairs), or None while
    unacknowledged. Never negative."""
    for name, at in steps:
        if name == "acknowledged":
            return max(0, round((utc_naive(at) - utc_naive(received_at)).total_seconds()))
    return None


def percentile(values, p):
    """The p-th percentile (0 < p <= 100) of `values` by nearest rank (an observed value), or None when there are
    none: the median is percentile(values, 50)."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    if not 0 < p <= 100:
        raise ValueError(p)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def acknowledgement_summary(seconds):
    """The inspector's figures of acknowledgement times (seconds; None: never acknowledged): how many alarms,
    how many acknowledged, the median and the 90th percentile of those acknowledged."""
    done = [s for s in seconds if s is not None]
    return {"alarms": len(seconds), "acknowledged": len(done), "median_seconds": percentile(done, 50),
            "p90_seconds": percentile(done, 90)}
