"""The home's calendar: which day it is at the home, whatever the server's or the tablet's time zone."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def today_of(timezone: str, now: datetime) -> date:
    """The home's today: the date of the instant `now` (aware) in the home's time zone (an IANA name such as
    Europe/Moscow). Every service that needs "today" asks here, with the clock's `now` it was given."""
    return now.astimezone(ZoneInfo(timezone)).date()


def parse_instant(value):
    """An aware datetime from an ISO 8601 time with its offset ('Z' included: a tablet's device_time, a device's
    alarm time) or from an aware datetime; None for anything else (no offset, not a time)."""
    if isinstance(value, datetime):
        return value if value.utcoffset() is not None else None
    try:
        at = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        return None
    return at if at.utcoffset() is not None else None


def in_zone(value, tz):
    """A stored moment (naive UTC, as the database keeps them) or an aware one, aware in the zone `tz` (a ZoneInfo):
    how a reply gives every time with its offset. None stays None."""
    if value is None:
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(tz)
