"""Which units, posts and residents a staff member may reach.

A carer of a community home (issue 18: a nurse of a station, on her own phone, who holds no role that keeps the
station whole) reaches only her people: those of the visits she is a current carer of (visit_carer with no
unassigned_at) -- the same people her pull carries (services/carer_pull.py). Anyone else's: 404, as another unit's."""
from datetime import timedelta

from sqlalchemy import select

from ..domain import roles
from ..domain.errors import NotFound
from ..domain.messages import Msg
from ..extensions import db
from ..models import DutyPost, Home, Resident, Unit, Visit, VisitCarer

#: The carer's window of days, the home's calendar: from yesterday (a visit she is still writing up) to a week ahead.
CARER_DAYS_BEFORE = 1
CARER_DAYS_AHEAD = 7


def unit_ids(user):
    """Her units; a member of staff with none works across the whole home."""
    if user.unit_ids:
        return user.unit_ids
    return [u for (u,) in db.session.query(Unit.id).filter(Unit.home_id == user.home_id)]


def find_unit(user, unit_id):
    unit = db.session.get(Unit, unit_id)
    return unit if unit is not None and unit.id in unit_ids(user) else None


def get_unit(user, unit_id):
    unit = find_unit(user, unit_id)
    if unit is None:
        raise NotFound(Msg("No such unit."))
    return unit


def find_post(user, post_id):
    post = db.session.get(DutyPost, post_id)
    return post if post is not None and post.unit_id in unit_ids(user) else None


def get_post(user, post_id):
    post = find_post(user, post_id)
    if post is None:
        raise NotFound(Msg("No such duty post."))
    return post


def is_carer(user):
    """A carer of a community home: she holds the nurse's role and none that keeps the station whole (the station
    head, a planner, the administrator: roles.HOMECARE_KEEPERS). Her pull and her reach are her visits' people."""
    if not carer_roles(user.roles):
        return False
    home = db.session.get(Home, user.home_id)
    return home is not None and home.kind == "community"


def carer_roles(held):
    """Do the roles `held` make a carer in a community home (is_carer)?"""
    return roles.holds(held, (roles.NURSE,)) and not roles.holds(held, roles.HOMECARE_KEEPERS)


def carer_window(today):
    """(first day, last day) of a carer's pull and reach: yesterday .. today + 7, the home's days."""
    return today - timedelta(days=CARER_DAYS_BEFORE), today + timedelta(days=CARER_DAYS_AHEAD)


def carer_visit_ids(carer_id, first=None, last=None):
    """SQL (a select of visit ids): the visits she is a current carer of, cancelled ones included, on the days
    first .. last (None: unbounded)."""
    query = select(Visit.id).join(VisitCarer, VisitCarer.visit_id == Visit.id).where(
        VisitCarer.carer_id == carer_id, VisitCarer.unassigned_at.is_(None))
    if first is not None:
        query = query.where(Visit.day >= first)
    if last is not None:
        query = query.where(Visit.day <= last)
    return query


def carer_people(carer_id, first=None, last=None):
    """SQL (a select of resident ids): the people of her current visits on the days first .. last."""
    return select(Visit.resident_id).where(Visit.id.in_(carer_visit_ids(carer_id, first, last)))


def get_resident(user, resident_id, today=None):
    """The resident, if she may reach her; 404 otherwise. A community carer reaches the people of her current visits:
    of the carer's window (carer_window) when the caller knows the home's `today`, else of any day (a visit she was
    sent to and not taken from)."""
    resident = db.session.get(Resident, resident_id)
    if resident is None or resident.unit_id not in unit_ids(user) or is_carer(user) and not _hers(
            user, resident.id, today):
        raise NotFound(Msg("No such resident."))
    return resident


def _hers(user, resident_id, today):
    first, last = carer_window(today) if today is not None else (None, None)
    found = db.session.execute(carer_people(user.id, first, last).where(Visit.resident_id == resident_id).limit(1))
    return found.first() is not None


def posts(user):
    return (DutyPost.query.filter(DutyPost.unit_id.in_(unit_ids(user)))
            .order_by(DutyPost.unit_id, DutyPost.id).all())
