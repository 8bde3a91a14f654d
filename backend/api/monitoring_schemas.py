"""Schemas of the monitoring API: the monthly figures and the carers' shift assignments."""
from marshmallow import Schema, fields, validate

from ..domain.schedule import SHIFTS
from .archive_schemas import MONTH, MonthField
from .schemas import LOCALES, PLAUSIBLE_DATE, Int
from .translated import PlaceName


class MonitoringQuerySchema(Schema):
    month = MonthField(required=True, metadata={"description": "YYYY-MM", "pattern": MONTH.pattern})
    unit_id = Int(load_default=None, strict=False, metadata={"description": "a unit; empty: the whole home"})
    baseline = MonthField(load_default=None, metadata={
        "description": "YYYY-MM: the satisfaction comparison's baseline month (default: the first month with a "
                       "residents' questionnaire)", "pattern": MONTH.pattern})


class MonitoringFileQuerySchema(MonitoringQuerySchema):
    lang = fields.Str(load_default=None, validate=validate.OneOf(LOCALES),
                      metadata={"description": "ru | zh_Hans | en; default: the user's language"})


class FigureSchema(Schema):
    key = fields.Str(metadata={"description": "engagement (social occupation: leisure and socially useful activity) "
                                              "| satisfaction (residents) | satisfaction_relatives | "
                                              "card_completion | confirmed_days | overdue_reassessments | "
                                              "caregiver_load (the sitter post's norm) | direction"})
    direction = fields.Str(metadata={"description": "for key 'direction': the activity direction"})
    title = fields.Str()
    value = fields.Float(allow_none=True, metadata={"description": "a share 0..1 (unit 'share') or a number of "
                                                                   "residents; null when nothing is counted"})
    numerator = fields.Int(allow_none=True)
    denominator = fields.Int(allow_none=True)
    target = fields.Float(allow_none=True)
    before = fields.Float(allow_none=True, metadata={"description": "the practice's figure before its introduction"})
    unit = fields.Str(metadata={"description": "share | residents"})
    definition = fields.Str()
    extra = fields.Dict(allow_none=True)


class ComparisonRowSchema(Schema):
    month = MonthField()
    offset = fields.Int(metadata={"description": "months after the baseline: 0, 6, 12"})
    label = fields.Str()
    value = fields.Float(allow_none=True)
    numerator = fields.Int(allow_none=True)
    denominator = fields.Int(allow_none=True)


class ComparisonSchema(Schema):
    """The residents' satisfaction (the practice's figure) at the baseline, after 6 months and after a year."""
    baseline = MonthField(allow_none=True)
    rows = fields.List(fields.Nested(ComparisonRowSchema))
    practice_before = fields.Float()
    target = fields.Float()
    definition = fields.Str()


class MonitoringSchema(Schema):
    month = MonthField()
    unit_id = Int(allow_none=True)
    unit = fields.Str(allow_none=True)
    home = fields.Str()
    today = fields.Date()
    days_passed = fields.Int()
    residents = fields.Int(metadata={"description": "residents of the month"})
    figures = fields.List(fields.Nested(FigureSchema))
    directions = fields.List(fields.Nested(FigureSchema))
    milieu = fields.List(fields.Nested(FigureSchema), metadata={
        "description": "the milieu-therapy monitoring of source 001: observations of service delivery and their "
                       "environment factors, interviews, specialists' short reports"})
    comparison = fields.Nested(ComparisonSchema)


class ShiftQuerySchema(Schema):
    unit_id = Int(required=True, strict=False)
    day = fields.Date(required=True, validate=PLAUSIBLE_DATE)
    shift = fields.Str(required=True, validate=validate.OneOf(list(SHIFTS)))


class AssignmentInSchema(Schema):
    resident_id = Int(required=True, strict=True)
    carer_id = Int(load_default=None, allow_none=True, strict=True, metadata={"description": "null: no carer"})


class ShiftInSchema(Schema):
    unit_id = Int(required=True, strict=True)
    day = fields.Date(required=True, validate=PLAUSIBLE_DATE)
    shift = fields.Str(required=True, validate=validate.OneOf(list(SHIFTS)))
    assignments = fields.List(fields.Nested(AssignmentInSchema), required=True,
                              validate=validate.Length(max=1000))


class ShiftResidentSchema(Schema):
    id = Int()
    name = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    carer_id = Int(allow_none=True)


class ShiftCarerSchema(Schema):
    id = Int()
    name = fields.Str()
    post = fields.Str(allow_none=True, metadata={"description": "her post (job title); none: not yet chosen"})
    sitter = fields.Bool(metadata={"description": "her post is sitter (the carers offered are the unit's sitters; "
                                                  "false: someone assigned before whose post is not sitter, never "
                                                  "warned of)"})
    load = fields.Int(metadata={"description": "residents assigned on this shift"})
    over = fields.Bool(metadata={"description": "a sitter above the limit (10)"})


class ShiftSchema(Schema):
    unit_id = Int()
    unit = PlaceName()
    day = fields.Date()
    shift = fields.Str()
    limit = fields.Int(metadata={"description": "a warning above this many residents per carer"})
    norm = fields.List(fields.Int(), metadata={"description": "the practice's norm, 8 to 10 (source 000)"})
    post = fields.Str(metadata={"description": "the post the norm was set for: sitter"})
    residents = fields.List(fields.Nested(ShiftResidentSchema))
    carers = fields.List(fields.Nested(ShiftCarerSchema))
    over = fields.List(Int(), metadata={"description": "sitters above the limit"})
    without = fields.List(Int(), metadata={"description": "residents with no carer"})
