"""What the post pull adds in a community home (issue 18; docs/sync.md, "The pull of a community station").

A carer (access.is_carer) pulls only her people: those of the visits she is a current carer of on the days of her
window (access.carer_window: yesterday .. today + 7, the home's days), cancelled visits included, with two weeks
of their entries (HISTORY_DAYS). The station head and the planners pull the post whole, as a care home's tablet
does, with the visits of the window. Both get the station's service catalogue and each person's details at home
(`at_home`, never the home code's hash).

Every function here runs a fixed number of queries, whatever the number of visits or people: visits come with
their carers in two queries (`_visits`), never one per visit.
"""
from dataclasses import dataclass

from sqlalchemy import and_, select

from ..models import Resident, ServiceItem, Visit, VisitCarer
from . import access

#: Days of entries a carer's phone holds (the post's tablet: PULL_HISTORY_DAYS): her people's last two weeks.
HISTORY_DAYS = 14

_VISIT_COLUMNS = (Visit.id, Visit.resident_id, Visit.unit_id, Visit.day, Visit.start_time, Visit.planned_minutes,
                  Visit.source, Visit.item_ids, Visit.cancelled_at, Visit.cancel_reason, Visit.seq)
_ITEM_COLUMNS = (ServiceItem.id, ServiceItem.names, ServiceItem.category, ServiceItem.item,
                 ServiceItem.standard_minutes, ServiceItem.price, ServiceItem.unit, ServiceItem.active,
                 ServiceItem.seq)
#: A person's details at home that a phone holds (models/resident.py); the home code's hash is never among them.
AT_HOME = ("address", "phone", "lat", "lon", "radius_m", "home_code_salt", "lives_alone", "care_level")


@dataclass(frozen=True)
class Scope:
    """Whose pull: a carer's (her people: `people`, a select of resident ids) or the post's (people None)."""
    actor_id: int
    first: object  # the window's first day
    last: object   # ... and its last
    people: object = None

    @property
    def carer(self):
        return self.people is not None

    @property
    def name(self):
        return "carer" if self.carer else "post"


def scope(actor_id, held, home, today):
    """The pull's scope in a community home for the person `actor_id` holding the roles `held`; None in a care home
    (its pull is the post's, unchanged)."""
    if home.kind != "community":
        return None
    first, last = access.carer_window(today)
    if access.carer_roles(held):
        return Scope(actor_id, first, last, access.carer_people(actor_id, first, last))
    return Scope(actor_id, first, last)


def snapshot(s, sc, post, home_id, high):
    """(visits, catalogue) of a cursor-0 pull."""
    if sc.carer:
        where = Visit.id.in_(access.carer_visit_ids(sc.actor_id, sc.first, sc.last))
    else:
        where = and_(Visit.resident_id.in_(_post_people(post)), Visit.day >= sc.first, Visit.day <= sc.last)
    visits = _visits(s, and_(where, Visit.seq <= high), sc.actor_id)
    return visits, catalogue(s, home_id, None, high)


def changes(s, sc, post, home_id, cursor, upto):
    """(visits, visits_gone, catalogue) numbered in (cursor, upto]. `visits`: changed visits of the pull's set
    (hers now and in the window; for the post: its people's in the window). `visits_gone`: ids of changed visits
    that left the set (taken from her, moved out of the window) -- the phone drops them."""
    window = and_(Visit.seq > cursor, Visit.seq <= upto)
    if sc.carer:  # every visit she was ever sent to: the ones taken from her come as gone
        where = and_(window, Visit.id.in_(select(VisitCarer.visit_id).where(VisitCarer.carer_id == sc.actor_id)))
    else:
        where = and_(window, Visit.resident_id.in_(_post_people(post)))
    kept, gone = [], []
    for v in _visits(s, where, sc.actor_id):
        inside = sc.first <= v["day"] <= sc.last and (v["mine"] or not sc.carer)
        (kept if inside else gone).append(v)
    return kept, gone, catalogue(s, home_id, cursor, upto)


def arrived(s, sc, visits, cursor):
    """A carer's people who come to her phone with this page: of changed visits of hers, the people none of her
    window's unchanged visits (numbered at or below the cursor) already brought. Their history comes as in a
    snapshot (one query)."""
    rids = {v["resident_id"] for v in visits}
    if not sc.carer or not rids:
        return []
    known = {rid for (rid,) in s.execute(select(Visit.resident_id).where(
        Visit.id.in_(access.carer_visit_ids(sc.actor_id, sc.first, sc.last)), Visit.seq <= cursor,
        Visit.resident_id.in_(rids)))}
    return sorted(rids - known)


def people_gone(s, sc, gone):
    """Ids of the people of a carer's gone visits whom no other visit of her window keeps (one query): the phone
    drops them (her entries for them in its outbox stay, and are pushed)."""
    rids = {v["resident_id"] for v in gone}
    if not sc.carer or not rids:
        return []
    kept = {rid for (rid,) in s.execute(sc.people.where(Visit.resident_id.in_(rids)))}
    return sorted(rids - kept)


def catalogue(s, home_id, cursor, upto):
    """The home's service items numbered in (cursor, upto] (cursor None: all up to `upto`, the seeded ones are
    numbered 0), inactive ones included (a visit may name one)."""
    where = [ServiceItem.home_id == home_id, ServiceItem.seq <= upto]
    if cursor is not None:
        where.append(ServiceItem.seq > cursor)
    return [dict(row._mapping) for row in s.execute(select(*_ITEM_COLUMNS).where(*where)
                                                    .order_by(ServiceItem.seq, ServiceItem.id))]


def with_details(residents):
    """Each person carries `at_home`: her details at home (AT_HOME) -- the phone hashes a typed code with
    `home_code_salt` (domain/visits.py code_hash)."""
    for r in residents:
        r.at_home = {name: getattr(r, name) for name in AT_HOME}


def _post_people(post):
    return select(Resident.id).where(Resident.post_id == post.id)


def _visits(s, where, me):
    """Visit dicts, by seq, of the visits `where` selects, each with its current carers (`carer_ids`) and whether
    `me` is one of them (`mine`): two queries."""
    rows = s.execute(select(*_VISIT_COLUMNS).where(where).order_by(Visit.seq, Visit.id)).all()
    if not rows:
        return []
    carers = {}
    for visit_id, carer_id in s.execute(select(VisitCarer.visit_id, VisitCarer.carer_id).where(
            VisitCarer.visit_id.in_(select(Visit.id).where(where)), VisitCarer.unassigned_at.is_(None))
            .order_by(VisitCarer.id)):
        carers.setdefault(visit_id, []).append(carer_id)
    out = []
    for row in rows:
        v = dict(row._mapping)
        v["carer_ids"] = carers.get(v["id"], [])
        v["mine"] = me in v["carer_ids"]
        out.append(v)
    return out
