"""The home's calendar: which day it is at the home, whatever the server's or the tablet's time zone."""
from datetime import date, datetime
from zoneinfo import ZoneInfo


def today_of(timezone: str, now: datetime) -> date:
    """The home's today: the date of the instant `now` (aware) in the home's time zone (an IANA name such as
    Europe/Moscow). Every service that needs "today" asks here, with the clock's `now` it was given."""
    return now.astimezone(ZoneInfo(timezone)).date()
