"""Schemas of the home-care API (issue 18): people at home, the service catalogue, contracts and the card made from
them. Types and shapes here; the rules (ranges, code lists, at least one language of a name, money with two places,
schedules, one contract at a time) in backend/domain/contracts.py, so that errors name the field either way. Money
travels as text ("40.00"), never as a number."""
from marshmallow import Schema, ValidationError, fields, validate

from ..domain import homecare_codes, service_catalogue
from ..domain.contracts import RADIUS_M, STANDARD_MINUTES
from ..domain.messages import Msg
from ..domain.schedule import KINDS as SCHEDULE_KINDS
from .activity_schemas import Day
from .schemas import LOCALES, CardSchema, Int, ItemSchema, UtcDateTime

MONEY = {"description": "an amount as text, at most 2 decimal places: \"40.00\"", "example": "40.00"}


class ServiceNames(Schema):
    """A service's name per language; at least one filled."""
    ru = fields.Str(validate=validate.Length(max=200))
    zh_Hans = fields.Str(validate=validate.Length(max=200))
    en = fields.Str(validate=validate.Length(max=200))


class Degrees(fields.Float):
    """A coordinate as a JSON number (not text, not true/false): the domain checks its range."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(Msg("must be a number"))
        return super()._deserialize(value, attr, data, **kwargs)


# --- people at home ----------------------------------------------------------------------------------------------

class PeopleQuerySchema(Schema):
    unit_id = Int(load_default=None, metadata={"description": "a station; none: every station she may reach"})


class ContractSummarySchema(Schema):
    id = Int()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    funding = fields.Str()
    monthly_subsidy = fields.Str(allow_none=True, metadata=MONEY)
    service_item_ids = fields.List(Int())


class PersonSchema(Schema):
    id = Int()
    full_name = fields.Str()
    unit_id = Int()
    post_id = Int()
    birth_date = fields.Date(allow_none=True)
    active = fields.Bool()
    status = fields.Str()
    address = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    radius_m = Int()
    lives_alone = fields.Bool()
    eligibility = fields.Str(allow_none=True)
    care_level = fields.Str(allow_none=True)
    family_bed_since = fields.Date(allow_none=True)
    has_home_code = fields.Bool(metadata={"description": "the code itself is shown only when it is set"})
    contract = fields.Nested(ContractSummarySchema, allow_none=True,
                             metadata={"description": "the contract in force today in the home's calendar"})
    lang = fields.Str(metadata={"description": "ru | zh_Hans | en: the language her service sheet is printed in "
                                               "unless another is chosen (her home's)"})


class PersonPatchSchema(Schema):
    address = fields.Str(allow_none=True, validate=validate.Length(max=500))
    phone = fields.Str(allow_none=True, validate=validate.Length(max=40))
    lat = Degrees(allow_none=True, metadata={"description": "WGS 84 degrees, -90 to 90; with lon, or neither"})
    lon = Degrees(allow_none=True, metadata={"description": "WGS 84 degrees, -180 to 180"})
    radius_m = Int(strict=True, validate=validate.Range(min=RADIUS_M[0], max=RADIUS_M[1]))
    lives_alone = fields.Bool()
    eligibility = fields.Str(allow_none=True, validate=validate.OneOf(homecare_codes.ELIGIBILITY))
    care_level = fields.Str(allow_none=True, validate=validate.OneOf(homecare_codes.CARE_LEVELS))
    family_bed_since = Day(allow_none=True)


class HomeCodeInputSchema(Schema):
    code = fields.Str(load_default=None, allow_none=True,
                      metadata={"description": "4 to 8 digits; none: a 6-digit code is generated"})


class ServiceSheetInputSchema(Schema):
    """What the printed service sheet is asked with (a POST: the code is never in a URL or a log)."""
    lang = fields.Str(load_default=None, validate=validate.OneOf(LOCALES),
                      metadata={"description": "ru | zh_Hans | en; default: the user's language"})
    code = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=20),
                      metadata={"description": "her home code, to print it with its QR code: it must match the "
                                               "kept hash (else 400 naming code); none: the sheet says to ask the "
                                               "station"})


class HomeCodeSchema(Schema):
    resident_id = Int()
    code = fields.Str(metadata={"description": "shown this once: only its salted hash is kept"})
    generated = fields.Bool()


# --- the catalogue -----------------------------------------------------------------------------------------------

class CatalogueQuerySchema(Schema):
    include_inactive = fields.Bool(load_default=True)


class ServiceSchema(Schema):
    id = Int()
    names = fields.Dict(keys=fields.Str(), values=fields.Str())
    category = fields.Str()
    item = fields.Str()
    standard_minutes = Int(allow_none=True)
    price = fields.Str(metadata=MONEY)
    unit = fields.Str()
    active = fields.Bool()


class ServiceInputSchema(Schema):
    names = fields.Nested(ServiceNames, required=True, metadata={"description": "ru, zh_Hans, en: at least one"})
    category = fields.Str(required=True, validate=validate.OneOf(service_catalogue.CATEGORY_CODES))
    item = fields.Str(required=True, validate=validate.OneOf(service_catalogue.ITEM_CODES))
    standard_minutes = Int(load_default=None, allow_none=True,
                           validate=validate.Range(min=STANDARD_MINUTES[0], max=STANDARD_MINUTES[1]))
    price = fields.Str(required=True, validate=validate.Length(max=20), metadata=MONEY)
    unit = fields.Str(required=True, validate=validate.OneOf(homecare_codes.SERVICE_UNITS))


class ServicePatchSchema(Schema):
    names = fields.Nested(ServiceNames)
    category = fields.Str(validate=validate.OneOf(service_catalogue.CATEGORY_CODES))
    item = fields.Str(validate=validate.OneOf(service_catalogue.ITEM_CODES))
    standard_minutes = Int(allow_none=True, validate=validate.Range(min=STANDARD_MINUTES[0], max=STANDARD_MINUTES[1]))
    price = fields.Str(validate=validate.Length(max=20), metadata=MONEY)
    unit = fields.Str(validate=validate.OneOf(homecare_codes.SERVICE_UNITS))
    active = fields.Bool(metadata={"description": "false takes the service out of the catalogue"})


# --- contracts ---------------------------------------------------------------------------------------------------

class ContractItemInputSchema(Schema):
    service_item_id = Int(required=True)
    schedule_kind = fields.Str(required=True, validate=validate.OneOf(SCHEDULE_KINDS))
    schedule = fields.Dict(load_default=dict, metadata={"description": "as a card item's (domain/schedule.py)"})
    days_of_week = fields.List(Int(), load_default=None, allow_none=True,
                               metadata={"description": "ISO weekdays; none: every day"})


class ContractItemSchema(Schema):
    id = Int()
    service_item_id = Int()
    schedule_kind = fields.Str()
    schedule = fields.Dict()
    days_of_week = fields.List(Int(), allow_none=True)
    service = fields.Dict(allow_none=True, metadata={"description": "{names, category, item, unit, price}"})


class ContractSchema(Schema):
    id = Int()
    resident_id = Int()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    funding = fields.Str()
    monthly_subsidy = fields.Str(allow_none=True, metadata=MONEY)
    intent_signed_on = fields.Date(allow_none=True)
    assessment_signed_on = fields.Date(allow_none=True)
    agreement_signed_on = fields.Date(allow_none=True)
    risk_notice_signed_on = fields.Date(allow_none=True)
    created_by = Int()
    created_at = UtcDateTime()
    items = fields.List(fields.Nested(ContractItemSchema))


class ContractInputSchema(Schema):
    starts_on = Day(required=True)
    ends_on = Day(load_default=None, allow_none=True, metadata={"description": "none: open-ended"})
    funding = fields.Str(required=True, validate=validate.OneOf(homecare_codes.FUNDING))
    monthly_subsidy = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=20), metadata=MONEY)
    intent_signed_on = Day(load_default=None, allow_none=True)
    assessment_signed_on = Day(load_default=None, allow_none=True)
    agreement_signed_on = Day(load_default=None, allow_none=True)
    risk_notice_signed_on = Day(load_default=None, allow_none=True)
    items = fields.List(fields.Nested(ContractItemInputSchema), load_default=list,
                        validate=validate.Length(max=50))


class ContractPatchSchema(Schema):
    starts_on = Day()
    ends_on = Day(allow_none=True, metadata={"description": "ends the contract after this day; none: open-ended"})
    funding = fields.Str(validate=validate.OneOf(homecare_codes.FUNDING))
    monthly_subsidy = fields.Str(allow_none=True, validate=validate.Length(max=20), metadata=MONEY)
    intent_signed_on = Day(allow_none=True)
    assessment_signed_on = Day(allow_none=True)
    agreement_signed_on = Day(allow_none=True)
    risk_notice_signed_on = Day(allow_none=True)
    items = fields.List(fields.Nested(ContractItemInputSchema), validate=validate.Length(max=50),
                        metadata={"description": "replaces the contract's items"})


# --- the card ----------------------------------------------------------------------------------------------------

class ContractCardInputSchema(Schema):
    month = fields.Str(required=True, metadata={"example": "2026-11"},
                       validate=validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z", error=Msg("must be YYYY-MM")))
    publish = fields.Bool(load_default=False, metadata={"description": "publish the card to the duty post"})


class HomeCareItemSchema(ItemSchema):
    service_item_id = Int(allow_none=True, metadata={"description": "the catalogue service it delivers"})


class HomeCareCardSchema(CardSchema):
    items = fields.List(fields.Nested(HomeCareItemSchema))
