"""Schemas of staff accounts (api/staff.py) and of the organisation an administrator keeps (api/organisation.py)."""
from marshmallow import Schema, fields, validate

from ..domain import places, posts, roles
from ..models import Bed, DutyPost, Home, Room, Unit, User
from .schemas import LOCALES, Int, UtcDateTime
from .translated import PlaceName


def _length(column):
    """A text field's bound, read from the model's column: one source for the API and the database."""
    return validate.Length(min=1, max=column.type.length)


def roles_field(**kwargs):
    return fields.List(fields.Str(validate=validate.OneOf(roles.STAFF)),
                       validate=validate.Length(min=1, max=len(roles.STAFF)),
                       metadata={"description": "her roles, the main one (the screen she starts on) first; one of "
                                                + ", ".join(roles.STAFF) + " each"}, **kwargs)


def post_field(**kwargs):
    return fields.Str(validate=validate.OneOf(posts.CODES), allow_none=True, metadata={
        "description": "her post (job title, «должность»): one of " + ", ".join(posts.CODES) + "; her roles default "
                       "to the post's when a new account names no roles (a change of post leaves her roles as sent)"},
        **kwargs)


def unit_ids_field(**kwargs):
    return fields.List(Int(), validate=validate.Length(max=100),
                       metadata={"description": "the units she works in; none: the whole home"}, **kwargs)


class StaffAccountSchema(Schema):
    id = Int()
    username = fields.Str()
    full_name = fields.Str()
    role = fields.Str(metadata={"description": "her main role: the screen she starts on"})
    roles = fields.List(fields.Str(), metadata={"description": "every role she holds, the main one first"})
    post = fields.Str(allow_none=True, metadata={"description": "her post (job title); none: not yet chosen"})
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
    post = post_field(load_default=None)
    roles = roles_field()
    unit_ids = unit_ids_field(load_default=list)
    locale = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(LOCALES))


class StaffChangeSchema(Schema):
    full_name = fields.Str(validate=_length(User.full_name))
    post = post_field()
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


class EnteredNameMixin(Schema):
    """A unit's or a post's names as the administrator keeps them: `name` in her language (as every reply names a
    place), `entered_name` as entered (the fallback), `names` its translations (domain/places.py)."""
    name = PlaceName(of="", metadata={"description": "in the reader's language, else as entered"})
    entered_name = fields.Function(lambda place: places.of(place).name,
                                   metadata={"type": "string", "description": "the name as entered"})
    names = fields.Function(lambda place: places.of(place).names,
                            metadata={"type": "object", "additionalProperties": {"type": "string"},
                                      "description": "its name in the home's languages (ru, zh_Hans, en), if given"})


class OrgPostSchema(EnteredNameMixin):
    id = Int()
    unit_id = Int()


class RoomSchema(Schema):
    id = Int()
    unit_id = Int()
    post_id = Int(allow_none=True)
    name = fields.Str()
    beds = fields.Function(lambda room: [b.label for b in room.beds])
    active = fields.Bool()


class OrgUnitSchema(EnteredNameMixin):
    id = Int()
    phone = fields.Str(allow_none=True)
    posts = fields.List(fields.Nested(OrgPostSchema))
    rooms = fields.List(fields.Nested(RoomSchema))


class OrganisationSchema(Schema):
    home = fields.Nested(HomeSchema)
    units = fields.List(fields.Nested(OrgUnitSchema))
    roles = fields.List(fields.Str(), metadata={"description": "the staff roles an account may have"})
    staff_posts = fields.List(fields.Nested(lambda: StaffPostSchema()), metadata={
        "description": "the posts (job titles) an account may have, with the roles each brings by default"})
    timezones = fields.List(fields.Str())


class StaffPostSchema(Schema):
    code = fields.Str()
    roles = fields.List(fields.Str(), metadata={"description": "the roles it brings by default, the main one first"})


class PlaceNamesSchema(Schema):
    """A unit's or a post's name in the home's languages, each optional (empty: none; domain/places.py)."""
    ru = fields.Str(validate=validate.Length(max=Unit.name.type.length))
    zh_Hans = fields.Str(validate=validate.Length(max=Unit.name.type.length))
    en = fields.Str(validate=validate.Length(max=Unit.name.type.length))


def place_names_field(**kwargs):
    return fields.Nested(PlaceNamesSchema, metadata={
        "description": "the name in the home's languages (ru, zh_Hans, en), each optional; the name as entered is "
                       "shown where none is given"}, **kwargs)


class NameSchema(Schema):
    name = fields.Str(required=True, validate=_length(Unit.name))
    names = place_names_field(allow_none=True)


class NewPostSchema(Schema):
    unit_id = Int(required=True)
    name = fields.Str(required=True, validate=_length(DutyPost.name))
    names = place_names_field(allow_none=True)


class PlainUnitSchema(Schema):
    id = Int()
    name = PlaceName(of="", metadata={"description": "in the reader's language, else as entered"})
    phone = fields.Str(allow_none=True)


class UnitPhoneSchema(Schema):
    phone = fields.Str(required=True, allow_none=True, validate=_length(Unit.phone))


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
