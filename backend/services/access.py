"""Which units, posts and residents a staff member may reach."""
from ..domain.errors import NotFound
from ..domain.messages import Msg
from ..extensions import db
from ..models import DutyPost, Resident, Unit


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


def get_resident(user, resident_id):
    resident = db.session.get(Resident, resident_id)
    if resident is None or resident.unit_id not in unit_ids(user):
        raise NotFound(Msg("No such resident."))
    return resident


def posts(user):
    return (DutyPost.query.filter(DutyPost.unit_id.in_(unit_ids(user)))
            .order_by(DutyPost.unit_id, DutyPost.id).all())
