"""Schemas of a resident's record and the events of her stay (api/organisation.py, services/stay.py)."""
from marshmallow import Schema, fields, validate

from ..domain import recipients
from ..domain import stay as stay_rules
from ..models import Resident
from .schemas import PLAUSIBLE_DATE, PLAUSIBLE_MOMENT, Int, ResidentSchema, UtcDateTime


class UnitQuerySchema(Schema):
    unit_id = Int(required=True)


class StayEventSchema(Schema):
    id = Int()
    kind = fields.Str()
    at = UtcDateTime()
    day = fields.Date()
    absence = fields.Str(allow_none=True)
    reason = fields.Str()
    detail = fields.Raw(allow_none=True)
    recorded_by = Int()
    recorded_at = UtcDateTime()


class StayEventRowSchema(StayEventSchema):
    recorded_by_name = fields.Str(allow_none=True)


class ResidentRecordSchema(Schema):
    resident = fields.Nested(ResidentSchema)
    unit_name = fields.Str()
    post_name = fields.Str()
    events = fields.List(fields.Nested(StayEventRowSchema))


class StayEventInSchema(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(stay_rules.RECORDED_KINDS))
    at = fields.AwareDateTime(load_default=None, allow_none=True, validate=PLAUSIBLE_MOMENT, metadata={
        "description": "when it took effect, with its UTC offset (default: now)"})
    reason = fields.Str(load_default="", validate=validate.Length(max=2000))
    absence = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(stay_rules.ABSENCES))
    # details
    full_name = fields.Str(validate=validate.Length(min=1, max=Resident.full_name.type.length))
    birth_date = fields.Date(allow_none=True, validate=PLAUSIBLE_DATE)
    room = fields.Str(validate=validate.Length(max=Resident.room.type.length))
    bed = fields.Str(validate=validate.Length(max=Resident.bed.type.length))
    categories = fields.List(fields.Str(validate=validate.OneOf(recipients.CATEGORIES)),
                             validate=validate.Length(max=len(recipients.CATEGORIES)))
    # move (and re-admission to another place)
    unit_id = Int()
    post_id = Int(allow_none=True)


class StayEventReplySchema(Schema):
    event = fields.Nested(StayEventSchema)
    resident = fields.Nested(ResidentSchema)
