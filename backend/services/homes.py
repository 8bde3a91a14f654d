"""The home's calendar for the services: its time zone and its today, asked in one place.

Every "today" a service works with is the home's (domain/clock.py today_of: the date of the clock's `now` in the
home's zone), never the server's or a tablet's. Domain code that is handed a zone keeps taking it as an argument."""
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..domain import clock
from ..extensions import db
from ..models import CareCard, Home, Resident, Unit


def home_zone(home_id):
    """The home's time zone (a ZoneInfo), read without loading the home."""
    return ZoneInfo(db.session.execute(select(Home.timezone).where(Home.id == home_id)).scalar_one())


def _zone_name(where):
    if isinstance(where, ZoneInfo):
        return where.key
    if isinstance(where, int):
        where = db.session.get(Home, where)
    if isinstance(where, CareCard):
        where = where.resident
    if isinstance(where, Resident):
        where = where.unit
    if isinstance(where, Unit):
        where = where.home
    if isinstance(where, Home):
        return where.timezone
    raise TypeError(f"no home in {where!r}")


def home_today(where, now):
    """The home's today at the instant `now` (aware). `where`: the home, its id, its zone (a ZoneInfo read
    already), or a unit, resident or care card of it."""
    return clock.today_of(_zone_name(where), now)
