from datetime import date

from flask import Blueprint, current_app
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from ..domain import roles
from ..errors import ApiError, invalid
from ..services import supervision
from . import context
from .registry import Prebuilt, route
from .schemas import PLAUSIBLE_DATE, AmendSchema, ConfirmationSchema, ConfirmSchema, DayViewSchema, EntryOutSchema

bp = Blueprint("days", __name__, url_prefix="/api")


def _day(text):
    """The day a path names: no date at all names no page (404); a date out of the plausible range (schemas.py) is
    refused naming `day` (year 9999 overflowed the day's clock arithmetic: a 500)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ApiError(404, "not_found", _("No such day.")) from None
    try:
        PLAUSIBLE_DATE(day)
    except ValidationError as exc:
        raise invalid({"day": exc.messages[0]}) from None
    return day


@route(bp, "/units/<int:unit_id>/days/<day>", roles=roles.DAY_CONTROL, summary="The supervisor's day view",
       response=DayViewSchema)
def day_view(unit_id, day):
    data = supervision.day_view(current_user, unit_id, _day(day), context.now(),
                                current_app.config["SLOT_GRACE_MINUTES"])
    reply = Prebuilt(DayViewSchema().dump(data))  # dumped before the audit row commits (and expires the objects)
    context.audit_read("unit_day", unit_id, {"day": data["day"].isoformat(),
                                             "residents": [r["resident"].id for r in data["residents"]]})
    return reply


@route(bp, "/units/<int:unit_id>/days/<day>/confirm", ["POST"], roles=roles.DAY_CONTROL,
       summary="Confirm (lock) the unit's day, or one resident's day", body=ConfirmSchema,
       response=ConfirmationSchema, status=201)
def confirm(unit_id, day, body):
    return supervision.confirm(context.ctx(), unit_id, _day(day), body["resident_id"], body["note"])


@route(bp, "/entries/<entry_id>/amend", ["POST"], roles=roles.DAY_CONTROL,
       summary="Amend an entry after confirmation, with a reason", body=AmendSchema, response=EntryOutSchema,
       status=201)
def amend(entry_id, body):
    changes = {"status": body["status"], "reason": body["reason_code"], "note": body["note"],
               "values": body["values"]}
    return supervision.amend(context.ctx(), entry_id, changes, body["reason"], context.vitals_definition())
