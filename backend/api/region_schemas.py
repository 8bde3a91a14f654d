"""Schemas of the inspector's API (issue 18, section 3): the region's month by provider and its settlement export.
The rules are in backend/domain/region_month.py; amounts leave as exact decimal text, never floats."""
from marshmallow import Schema, fields, validate

from .archive_schemas import MONTH, MonthField
from .schemas import LOCALES, Int, UtcDateTime
from .translated import PlaceName, Translated

SETTLEMENT_FORMATS = ("json", "csv")


# --- input ---------------------------------------------------------------------------------------------------

class RegionMonthQuerySchema(Schema):
    month = MonthField(required=True, metadata={"description": "YYYY-MM: a calendar month on the region's clock",
                                                "pattern": MONTH.pattern})


class SettlementQuerySchema(RegionMonthQuerySchema):
    format = fields.Str(load_default="json", validate=validate.OneOf(SETTLEMENT_FORMATS),
                        metadata={"description": "json (default) | csv (UTF-8 with a byte-order mark, a header row)"})
    lang = fields.Str(load_default=None, validate=validate.OneOf(LOCALES),
                      metadata={"description": "the CSV's language: ru | zh_Hans | en; default: the user's"})


# --- the month -----------------------------------------------------------------------------------------------

class RegionSchema(Schema):
    id = Int()
    name = PlaceName(metadata={"description": "the region's name in the reader's language"})
    timezone = fields.Str()


class VisitFiguresSchema(Schema):
    planned = Int(metadata={"description": "the month's visits not cancelled"})
    cancelled = Int()
    delivered = Int(metadata={"description": "planned visits with a standing departure (arrived and left, or left)"})
    verified = Int(metadata={"description": "delivered visits with the six elements of electronic visit "
                                            "verification"})
    share_delivered = fields.Float(allow_none=True, metadata={"description": "delivered / planned"})
    share_verified = fields.Float(allow_none=True, metadata={"description": "verified / delivered"})


class AlarmFiguresSchema(Schema):
    alarms = Int(metadata={"description": "alarms raised in the month"})
    acknowledged = Int()
    false_alarms = Int()
    median_seconds = Int(allow_none=True, metadata={"description": "receipt to acknowledgement, nearest rank"})
    p90_seconds = Int(allow_none=True)
    median_minutes = fields.Float(allow_none=True)
    p90_minutes = fields.Float(allow_none=True)


class FollowUpFiguresSchema(Schema):
    made = Int(metadata={"description": "the month's visits called (回访); a visit's latest call counts"})
    confirmed = Int()
    not_confirmed = Int()
    unreachable = Int()
    share_confirmed = fields.Float(allow_none=True)


class SatisfactionSchema(Schema):
    n = Int(metadata={"description": "the month's visits with a satisfaction questionnaire (a visit's latest "
                                     "questionnaire counts)"})
    satisfied = Int(metadata={"description": "of those, the questionnaires in the band 'satisfied'"})
    share = fields.Float(allow_none=True, metadata={"description": "satisfied / n; null: no satisfaction "
                                                                  "questionnaire of home care was recorded (see "
                                                                  "`reason`)"})
    target = fields.Float()
    met = fields.Bool(allow_none=True, metadata={"description": "share >= target; null without a questionnaire"})
    available = fields.Bool()
    reason = fields.Str(allow_none=True, metadata={"description": "not_collected"})


class BlockRowSchema(Schema):
    id = Int()
    carer_id = Int()
    carer_name = fields.Str(allow_none=True)
    home_id = Int()
    reason = fields.Str()
    blocked_at = UtcDateTime()
    blocked_by_name = fields.Str(allow_none=True)
    lifted_at = UtcDateTime(allow_none=True)
    lifted_by_name = fields.Str(allow_none=True)
    standing = fields.Bool(metadata={"description": "not lifted"})


class BlockedSchema(Schema):
    count = Int(metadata={"description": "carers blocked at some moment of the month"})
    carers = fields.List(fields.Nested(BlockRowSchema))


class FiguresSchema(Schema):
    people_served = Int(metadata={"description": "distinct persons with a delivered visit"})
    family_beds = Int(metadata={"description": "people with a family care bed on the month's last day"})
    visits = fields.Nested(VisitFiguresSchema)
    flags = fields.Dict(keys=fields.Str(), values=Int(), metadata={"description": "visits per flag"})
    alarms = fields.Nested(AlarmFiguresSchema)
    follow_up = fields.Nested(FollowUpFiguresSchema)
    satisfaction = fields.Nested(SatisfactionSchema)
    blocked = fields.Nested(BlockedSchema)


class ProviderCarerSchema(Schema):
    id = Int()
    full_name = fields.Str()
    blocked = fields.Bool(metadata={"description": "blocked now"})


class ProviderSchema(FiguresSchema):
    home_id = Int()
    name = fields.Str()
    carers = fields.List(fields.Nested(ProviderCarerSchema))


class RegionMonthSchema(Schema):
    region = fields.Nested(RegionSchema)
    month = MonthField()
    first_day = fields.Date()
    last_day = fields.Date()
    now = UtcDateTime(metadata={"description": "the server's now on the region's clock"})
    satisfaction_target = fields.Float()
    providers = fields.List(fields.Nested(ProviderSchema))
    total = fields.Nested(FiguresSchema)


# --- the settlement (资金结算) --------------------------------------------------------------------------------

def _amount(**kwargs):
    return fields.Decimal(as_string=True, **kwargs)


class SettlementLineSchema(Schema):
    service_item_id = Int()
    item = fields.Str(allow_none=True, metadata={"description": "the catalogue's item code"})
    service = PlaceName(metadata={"description": "the service's name in the reader's language"})
    unit = fields.Str()
    unit_price = _amount()
    quantity = _amount(metadata={"description": "units; hours for unit hour (quarters)"})
    items = Int()
    amount = _amount()


class SettlementRowSchema(Schema):
    funding = fields.Str(allow_none=True, metadata={"description": "government | ltc_insurance | self_pay | mixed; "
                                                                   "null: no contract in force that day"})
    visits = Int()
    people = Int()
    minutes = Int()
    items = Int()
    amount = _amount()
    lines = fields.List(fields.Nested(SettlementLineSchema))


class UnverifiedSchema(Schema):
    visit_id = Int()
    resident_id = Int()
    person_name = fields.Str(allow_none=True)
    day = fields.Date()
    funding = fields.Str(allow_none=True)
    why = fields.List(fields.Str(), metadata={"description": "cancelled, or the elements it lacks"})
    why_text = fields.List(Translated())


class UnpricedSchema(Schema):
    visit_id = Int()
    item_id = Int()
    why = fields.Str()
    why_text = Translated()


class ProviderSettlementSchema(Schema):
    home_id = Int()
    name = fields.Str()
    amount = _amount()
    rows = fields.List(fields.Nested(SettlementRowSchema))
    unverified = fields.List(fields.Nested(UnverifiedSchema))
    unpriced = fields.List(fields.Nested(UnpricedSchema))


class SettlementTotalRowSchema(Schema):
    funding = fields.Str(allow_none=True)
    visits = Int()
    people = Int()
    minutes = Int()
    items = Int()
    amount = _amount()


class SettlementTotalSchema(Schema):
    rows = fields.List(fields.Nested(SettlementTotalRowSchema))
    visits = Int()
    minutes = Int()
    items = Int()
    amount = _amount()
    unverified = Int()
    unpriced = Int()


class SettlementSchema(Schema):
    region = fields.Nested(RegionSchema)
    month = MonthField()
    first_day = fields.Date()
    last_day = fields.Date()
    providers = fields.List(fields.Nested(ProviderSettlementSchema))
    total = fields.Nested(SettlementTotalSchema)
