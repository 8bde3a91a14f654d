"""A relative's view: the residents linked to their account (`relative_link`), and nothing else.

Access is decided by the link alone, in one query: a resident who is not linked to this relative (of another unit,
of the same unit, missing, moved out) is not found, with the same error as an id that does not exist, so the reply
tells a relative nothing about residents who are not theirs. What a reply may carry is fixed by the allow-list in
api/schemas.py (FAMILY_RESIDENT_FIELDS).
"""
import re

from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from ..errors import ApiError
from ..models import RelativeLink, Resident, Unit

#: A resident id as the URL may spell it: digits without a leading zero, within the 32-bit INTEGER column.
_ID = re.compile(r"[1-9][0-9]{0,9}")
_MAX_ID = 2**31 - 1


def _linked(relative):
    """The relative's linked residents who still live in the relative's home (units and homes loaded with them)."""
    return (Resident.query.join(RelativeLink, RelativeLink.resident_id == Resident.id)
            .join(Unit, Unit.id == Resident.unit_id)
            .options(contains_eager(Resident.unit))
            .filter(RelativeLink.user_id == relative.id, Unit.home_id == relative.home_id,
                    Resident.active.is_(True)))


def linked_residents(relative):
    return _linked(relative).order_by(Resident.full_name, Resident.id).all()


def parse_id(text):
    """The id in a URL, or None when it cannot be a resident's (not a canonical number, or past the column's range).

    The route takes the id as text so that every id the relative may not see — a huge or malformed one
    included — reaches the same 404 here (and the same `refused` audit row), instead of a routing 404."""
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= _MAX_ID else None


def get_linked_resident(relative, resident_id_text):
    resident_id = parse_id(resident_id_text)
    resident = None
    if resident_id is not None:
        resident = _linked(relative).filter(Resident.id == resident_id).one_or_none()
    if resident is None:
        raise ApiError(404, "not_found", _("No such resident."))
    return resident
