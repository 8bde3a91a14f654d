"""Admitting a resident: the unit, the duty post, room and bed. The new resident reaches the post's tablets
through the feed (a resident row with a new seq, as every resident change) and appears on the planner's board
as never assessed."""
from flask_babel import gettext as _

from ..database import write_transaction
from ..errors import ApiError
from ..extensions import db
from ..models import DutyPost, Resident
from . import access, audit, feed


def admit(actor, data, now):
    unit = access.get_unit(actor, data["unit_id"])
    post = db.session.get(DutyPost, data["post_id"])
    if post is None or post.unit_id != unit.id:
        raise ApiError(400, "validation_error", _("Please check: %(fields)s", fields="post_id"),
                       {"post_id": _("This duty post is not in the chosen unit.")})
    birth = data.get("birth_date")
    if birth is not None and birth > now.date():
        raise ApiError(400, "validation_error", _("Please check: %(fields)s", fields="birth_date"),
                       {"birth_date": _("The date of birth cannot be in the future.")})
    with write_transaction() as s:
        feed.lock(s)
        resident = Resident(unit_id=unit.id, post_id=post.id, full_name=data["full_name"].strip(),
                            room=(data.get("room") or "").strip(), bed=(data.get("bed") or "").strip(),
                            birth_date=birth, care_group=None, needs_reassessment=False, active=True,
                            seq=feed.allocate(s, 1))
        s.add(resident)
        s.flush()
        audit.record(s, actor, "resident_admit", "resident", resident.id, at=now,
                     detail={"unit_id": unit.id, "post_id": post.id})
    return resident
