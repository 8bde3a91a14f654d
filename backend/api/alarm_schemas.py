"""Schemas of the home devices and alarms API (issue 18). The intake's body is only shaped here (texts of bounded
length): what its values mean is checked by the service after the device's token (domain/alarms.py
validate_intake), so a caller without a valid token learns nothing from the body's answer, and a device hears 422
naming the field it got wrong."""
from marshmallow import Schema, fields, validate

from ..domain.alarms import DETAIL_MAX, NOTE_MAX
from ..domain.homecare_codes import ALARM_STEPS, DEVICE_KINDS
from ..models import HomeDevice
from .schemas import Int, UtcDateTime


class HomeDeviceSchema(Schema):
    id = Int()
    resident_id = Int()
    kind = fields.Str()
    label = fields.Str()
    active = fields.Bool()
    created_at = UtcDateTime()


class HomeDeviceIssuedSchema(HomeDeviceSchema):
    token = fields.Str(metadata={"description": "the device's token: shown this once, never again (only its hash is "
                                                "kept); the device sends it as `Authorization: Bearer <token>`"})


class HomeDeviceInputSchema(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(DEVICE_KINDS))
    label = fields.Str(load_default="", validate=validate.Length(max=HomeDevice.label.type.length))


class AlarmIntakeSchema(Schema):
    # the values are documented (enum, format) and checked after the token (422), not by the schema (400)
    kind = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=40),
                      metadata={"description": "the alarm's type (422 for another)", "enum": list(DEVICE_KINDS)})
    at = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=40),
                    metadata={"description": "the device's time, ISO 8601 with its offset; absent: the server's",
                              "format": "date-time"})
    detail = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=DETAIL_MAX * 4),
                        metadata={"description": f"short text, at most {DETAIL_MAX} characters"})


class AlarmIntakeReplySchema(Schema):
    id = Int(metadata={"description": "the alarm (a repeat: the one already stored)"})
    repeat = fields.Bool(metadata={"description": "true: a repeat within the window, counted once (200)"})


class AlarmLogQuerySchema(Schema):
    unit_id = Int(load_default=None)
    start = fields.Date(data_key="from", load_default=None, metadata={"description": "the home's day; default: "
                                                                                      "six days before `to`"})
    end = fields.Date(data_key="to", load_default=None, metadata={"description": "the home's day; default: today"})
    open = fields.Bool(load_default=None, metadata={"description": "true: open ones only; false: closed ones"})


class AlarmPersonSchema(Schema):
    id = Int()
    full_name = fields.Str()
    address = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)


class AlarmDeviceSchema(Schema):
    id = Int()
    kind = fields.Str()
    label = fields.Str()
    active = fields.Bool()


class AlarmStepSchema(Schema):
    id = Int()
    step = fields.Str()
    by_user = Int()
    by_name = fields.Str()
    at = UtcDateTime()
    note = fields.Str(allow_none=True)


class AlarmSchema(Schema):
    id = Int()
    kind = fields.Str()
    raised_at = UtcDateTime()
    received_at = UtcDateTime()
    closed_at = UtcDateTime(allow_none=True)
    open = fields.Bool()
    false_alarm = fields.Bool()
    outcome = fields.Str(allow_none=True)
    detail = fields.Str(allow_none=True, metadata={"description": "the device's own text when it raised the alarm"})
    unit_id = Int()
    person = fields.Nested(AlarmPersonSchema)
    device = fields.Nested(AlarmDeviceSchema)
    steps = fields.List(fields.Nested(AlarmStepSchema))
    acknowledged_at = UtcDateTime(allow_none=True)
    acknowledge_seconds = Int(allow_none=True, metadata={"description": "from the server's receipt to the first "
                                                                        "acknowledgement"})


class AlarmStepInputSchema(Schema):
    step = fields.Str(required=True, validate=validate.OneOf(ALARM_STEPS))
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))


class AlarmCloseSchema(Schema):
    outcome = fields.Str(required=True, validate=validate.Length(min=1, max=NOTE_MAX),
                         metadata={"description": "what happened, in the words of who closes it"})
    false_alarm = fields.Bool(load_default=False)
