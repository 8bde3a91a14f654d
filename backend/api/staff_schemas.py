"""Schemas of staff accounts (api/staff.py) and of the organisation an administrator keeps (api/organisation.py)."""
from marshmallow import Schema, fields, validate

from ..domain import roles
from ..models import Bed, DutyPost, Home, Room, Unit, User
from .schemas import LOCALES, Int, UtcDateTime


def _length(column):
    """A text field's bound, read from the model's column: one source for the API and the database."""
    return validate.Length(min=1, max=column.type.length)


def roles_field(**kwargs):
    return fields.List(fields.Str(validate=validate.OneOf(roles.STAFF)),
                       validate=validate.Length(min=1, max=len(roles.STAFF)),
                       metadata={"description": "her roles, the main one (the screen she starts on) first; one of "
                                                + ", ".join(roles.STAFF) + " each"}, **kwargs)


def unit_ids_field(**kwargs):
    return fields.List(Int(), validate=validate.Length(max=100),
                       metadata={"description": "the units she works in; none: the whole home"}, **kwargs)


class StaffAccountSchema(Schema):
    id = Int()
    username = fields.Str()
    full_name = fields.Str()
    role = fields.Str(metadata={"description": "her main role: the screen she starts on"})
    roles = fields.List(fields.Str(), metadata={"description": "every role she holds, the main one first"})
    units = fields.List(fields.Nested(lambda: PlainUnitSchema()),
                        metadata={"description": "the units she works in; none: the whole home"})
    locale = fields.Str(allow_none=True)
    active = fields.Bool()
    must_change_password = fields.Bool(metadata={"description": "her one-time password is not yet changed"})
    held = fields.Bool(metadata={"description": "sign-in held after failed attempts (an administrator may clear it)"})
    created_at = UtcDateTime(allow_none=True)
    password_changed_at = UtcDateTime(allow_none=True)


class NewStaffSchema(Schema):
    username = fields.Str(required=True, validate=validate.Length(min=2, max=User.username.type.length))
    full_name = fields.Str(required=True, validate=_length(User.full_name))
    roles = roles_field(required=True)
    unit_ids = unit_ids_field(load_default=list)
    locale = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(LOCALES))


class StaffChangeSchema(Schema):
    full_name = fields.Str(validate=_length(User.full_name))
    roles = roles_field()
    unit_ids = unit_ids_field()
    locale = fields.Str(allow_none=True, validate=validate.OneOf(LOCALES))


class TemporaryPasswordSchema(Schema):
    account = fields.Nested(StaffAccountSchema)
    temporary_password = fields.Str(metadata={"description": "shown once; she must change it at her first sign-in"})


class EmptySchema(Schema):
    pass


# --- organisation ------------------------------------------------------------------------------

class HomeSchema(Schema):
    id = Int()
    name = fields.Str()
    timezone = fields.Str()
    locale = fields.Str()


class HomeChangeSchema(Schema):
    name = fields.Str(validate=_length(Home.name))
    timezone = fields.Str(validate=_length(Home.timezone), metadata={"description": "an IANA time zone"})
    locale = fields.Str(validate=validate.OneOf(LOCALES))


class OrgPostSchema(Schema):
    id = Int()
    unit_id = Int()
    name = fields.Str()


class RoomSchema(Schema):
    id = Int()
    unit_id = Int()
    post_id = Int(allow_none=True)
    name = fields.Str()
    beds = fields.Function(lambda room: [b.label for b in room.beds])
    active = fields.Bool()


class OrgUnitSchema(Schema):
    id = Int()
    name = fields.Str()
    posts = fields.List(fields.Nested(OrgPostSchema))
    rooms = fields.List(fields.Nested(RoomSchema))


class OrganisationSchema(Schema):
    home = fields.Nested(HomeSchema)
    units = fields.List(fields.Nested(OrgUnitSchema))
    roles = fields.List(fields.Str(), metadata={"description": "the staff roles an account may have"})
    timezones = fields.List(fields.Str())


class NameSchema(Schema):
    name = fields.Str(required=True, validate=_length(Unit.name))


class NewPostSchema(Schema):
    unit_id = Int(required=True)
    name = fields.Str(required=True, validate=_length(DutyPost.name))


class PlainUnitSchema(Schema):
    id = Int()
    name = fields.Str()


BED_LABEL = validate.Length(min=1, max=Bed.label.type.length)


class NewRoomSchema(Schema):
    unit_id = Int(required=True)
    name = fields.Str(required=True, validate=_length(Room.name))
    post_id = Int(load_default=None, allow_none=True)
    beds = fields.List(fields.Str(validate=BED_LABEL), load_default=list, validate=validate.Length(max=50))


class RoomChangeSchema(Schema):
    name = fields.Str(validate=_length(Room.name))
    post_id = Int(allow_none=True)
    beds = fields.List(fields.Str(validate=BED_LABEL), validate=validate.Length(max=50))
    active = fields.Bool()


class RelativeSchema(Schema):
    user_id = Int()
    full_name = fields.Str()
    username = fields.Str()
