"""Schemas of the invitation codes (staff issue and withdraw, relatives redeem)."""
from marshmallow import Schema, fields, validate

from ..domain import invitations as rules
from .schemas import LOCALES, FamilyResidentSchema, Int, UtcDateTime
from .translated import PlaceName


class InvitationQuerySchema(Schema):
    resident_id = Int(required=True)


class IssueSchema(Schema):
    resident_id = Int(required=True, strict=True)
    days = Int(load_default=rules.DEFAULT_DAYS, strict=True, validate=validate.Range(min=1, max=rules.MAX_DAYS),
               metadata={"description": "days until the code expires"})


class InvitationSchema(Schema):
    id = Int()
    resident_id = Int()
    status = fields.Str(metadata={"enum": list(rules.STATUSES)})
    created_at = UtcDateTime()
    created_by_name = fields.Str(allow_none=True)
    expires_at = UtcDateTime()
    used_at = UtcDateTime(allow_none=True)
    used_by_name = fields.Str(allow_none=True)
    withdrawn_at = UtcDateTime(allow_none=True)
    withdrawn_by_name = fields.Str(allow_none=True)


class IssuedSchema(InvitationSchema):
    code = fields.Str(metadata={"description": "the code, grouped (ABCDE-FGHJK); shown this once, never again"})


class InvitationResidentSchema(Schema):
    id = Int()
    full_name = fields.Str()
    unit_id = Int()
    unit_name = PlaceName()
    open_invitations = Int()
    relatives = Int()


class RedeemSchema(Schema):
    code = fields.Str(required=True, validate=validate.Length(min=1, max=40))
    username = fields.Str(load_default=None, validate=validate.Length(max=80))
    password = fields.Str(load_default=None, validate=validate.Length(max=200))
    full_name = fields.Str(load_default=None, validate=validate.Length(max=200))
    locale = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(LOCALES))


class RedeemedUserSchema(Schema):
    """The relative's own account (nothing about anyone else)."""
    id = Int()
    username = fields.Str()
    full_name = fields.Str()
    locale = fields.Str(allow_none=True)


class RedeemReplySchema(Schema):
    new_account = fields.Bool()
    user = fields.Nested(RedeemedUserSchema)
    resident = fields.Nested(FamilyResidentSchema)
