"""A relative's view of care at home (issue 18, section 3 "Family"): the visits of a linked person who lives at home
(a resident of a community home) and her alarms, read-only, in the relative's language.

What a relative sees of each visit: its day, its planned time and end on the home's clock, the services it is for
(the names of the catalogue's services its card items deliver, in her language), where it stands -- planned,
arrived, left, no_access or cancelled, with the moment -- and, for a visit of the past or one of today that has
begun, whether it was verified (visit_board.verification: the six elements of electronic visit verification). Of her alarms: the kind,
when raised, open or closed (and when), the outcome as written at the close, and whether it was a false alarm.

Never: the location of her home or of a carer (lat, lon, accuracy, radius, the fix), the home code, its hash or
salt, carers' names or ids, entries' notes and values, the flags and their details, why a visit was cancelled or a
door stayed closed (reasons can be about health), which elements a visit lacks, card items' titles (clinical items
included: an item delivering no catalogue service is not named at all), vitals, alarm steps and their notes, the
device's label. A care home's resident has no visits: the reply says `at_home` false with empty lists, and her
overview (services/family.py) is unchanged.

The relative's status of a visit is the dispatcher's board state (visit_board.board_state) read for a family: the
board's own words for what the entries say (arrived, left, no access) and for a cancellation; everything else the
board tells (on the carer's phone, late, phone silent, missed) is the dispatcher's to act on, and reads "planned"
here -- a visit done offline may still arrive from the carer's phone.
"""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from ..domain import entries as entry_rules
from ..domain import clock, visit_board
from ..domain import visits as visit_rules
from ..extensions import db
from ..models import Alarm, CardItem, Entry, ServiceItem, Visit, VisitCarer
from . import family, homes

#: The coming visits: the seven days after today.
COMING_DAYS = 7
#: The recent visits and alarms: the thirty days before today.
RECENT_DAYS = 30
#: What a relative is told of a visit (the board's states she may read; the rest read "planned").
STATUSES = (visit_board.PLANNED, visit_board.ARRIVED, visit_board.LEFT, visit_board.NO_ACCESS,
            visit_board.CANCELLED)
#: The entry columns verification and the status read.
_ENTRY_COLUMNS = ("id", "kind", "resident_id", "day", "item_id", "status", "author_id", "device_time", "values",
                  "flags", "key_id", "supersedes", "seq")


def _entries(resident_id, start, end):
    """The person's standing visit entries and ticks from `start` to `end`, by day (visit_board's dict shape)."""
    cols = [getattr(Entry, c) for c in _ENTRY_COLUMNS]
    rows = db.session.execute(select(*cols).where(Entry.resident_id == resident_id, Entry.day >= start,
                                                  Entry.day <= end, Entry.kind.in_((visit_rules.KIND, "tick")))
                              .order_by(Entry.seq))
    found = [dict(zip(_ENTRY_COLUMNS, row)) for row in rows]
    for e in found:
        e["day"] = str(e["day"])
        if not isinstance(e["values"], dict):
            e["values"] = {}
    by_day = {}
    for e in entry_rules.standing(found):
        by_day.setdefault(e["day"], []).append(e)
    return by_day


def _services(visits, home_id, language):
    """{card item id: the name of the catalogue service it delivers, in the relative's language}."""
    item_ids = {i for v in visits for i in (v.item_ids or []) if isinstance(i, int)}
    if not item_ids:
        return {}
    delivers = dict(db.session.execute(select(CardItem.id, CardItem.service_item_id)
                                       .where(CardItem.id.in_(item_ids), CardItem.service_item_id.isnot(None))).all())
    if not delivers:
        return {}
    names = dict(db.session.execute(select(ServiceItem.id, ServiceItem.names)
                                    .where(ServiceItem.id.in_(set(delivers.values())),
                                           ServiceItem.home_id == home_id)).all())
    return {item: family.pick(names[service], language) for item, service in delivers.items() if service in names}


def _carers(visits):
    """{visit id: the ids of its current carers} (verification's "signed by an assigned carer"; never sent)."""
    out = {v.id: [] for v in visits}
    if visits:
        for visit_id, carer_id in db.session.execute(
                select(VisitCarer.visit_id, VisitCarer.carer_id)
                .where(VisitCarer.visit_id.in_(list(out)), VisitCarer.unassigned_at.is_(None))
                .order_by(VisitCarer.id)):
            out[visit_id].append(carer_id)
    return out


def _visit_row(visit, entries, person, carers, names, today, now, zone):
    tz = ZoneInfo(zone)
    plan = {"id": visit.id, "resident_id": visit.resident_id, "day": visit.day, "start_time": visit.start_time,
            "planned_minutes": visit.planned_minutes, "item_ids": list(visit.item_ids or []),
            "cancelled_at": clock.in_zone(visit.cancelled_at, tz), "timezone": zone,
            "location_accepted": visit.location_accepted_at is not None}
    board = visit_board.board_state(plan, entries, now, carer_last_sync=None, pulled_at=None, zone=zone)
    status = board["state"] if board["state"] in STATUSES else visit_board.PLANNED
    since = datetime.fromisoformat(board["since"]) if status != visit_board.PLANNED and board["since"] else None
    verified = None  # a coming or cancelled visit, or one of today nothing was recorded of yet
    if status != visit_board.CANCELLED and (visit.day < today or (visit.day == today and status != "planned")):
        verified = visit_board.verification(plan, entries, person, carers)["verified"]
    services = []
    for item in plan["item_ids"]:
        name = names.get(item)
        if name and name not in services:
            services.append(name)
    return {"date": visit.day.isoformat(), "time": visit.start_time,
            "end": visit_board.planned_end(plan, zone).strftime("%H:%M"), "services": services, "status": status,
            "status_at": since, "verified": verified}


def _alarms(resident, home, since, tz):
    """Her alarms raised since `since` (naive UTC) or still open, newest first."""
    rows = (Alarm.query.filter(Alarm.resident_id == resident.id, Alarm.home_id == home.id,
                               or_(Alarm.raised_at >= since, Alarm.closed_at.is_(None)))
            .order_by(Alarm.raised_at.desc(), Alarm.id.desc()).all())
    return [{"kind": a.kind, "raised_at": clock.in_zone(a.raised_at, tz), "open": a.closed_at is None,
             "closed_at": clock.in_zone(a.closed_at, tz), "outcome": (a.outcome or None) if a.closed_at else None,
             "false_alarm": bool(a.false_alarm)} for a in rows]


def home_visits(relative, resident_id_text, now):
    """A linked person's visits (today, the coming week, the last thirty days) and alarms; a care home's resident:
    at_home false, nothing listed; any other id: the family view's 404."""
    resident = family.get_linked_resident(relative, resident_id_text)
    home = resident.unit.home
    language = family.language_of(relative, home)
    today = homes.home_today(home, now)
    reply = {"at_home": home.kind == "community", "today": today, "generated_at": now, "language": language,
             "today_visits": [], "coming_visits": [], "recent_visits": [], "alarms": []}
    if not reply["at_home"]:
        return reply
    zone, tz = home.timezone, ZoneInfo(home.timezone)
    first, last = today - timedelta(days=RECENT_DAYS), today + timedelta(days=COMING_DAYS)
    visits = (Visit.query.filter(Visit.resident_id == resident.id, Visit.home_id == home.id, Visit.day >= first,
                                 Visit.day <= last)
              .order_by(Visit.day, Visit.start_time, Visit.id).all())
    by_day = _entries(resident.id, first, today)
    person = {"id": resident.id, "lat": resident.lat, "lon": resident.lon, "radius_m": resident.radius_m}
    carers, names = _carers(visits), _services(visits, home.id, language)
    for visit in visits:
        row = _visit_row(visit, by_day.get(str(visit.day), []), person, carers[visit.id], names, today, now, zone)
        key = ("today_visits" if visit.day == today else "coming_visits" if visit.day > today else "recent_visits")
        reply[key].append(row)
    reply["recent_visits"].reverse()  # newest first
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
    reply["alarms"] = _alarms(resident, home, start, tz)
    return reply
