"""The family API's replies beyond the resident itself: every schema's `Meta.fields` is its allow-list, and
tests/api/test_family_view.py checks each reply's keys equal it, all the way down.

What each field is, and why a relative may have it:
- a schedule row / event: its time, end, kind (routine: meals, rest; activity; event), title in the relative's
  language, place (the hall, the garden), cancelled / changed with the original time, and the timetable's note
  about that occurrence ("moved to the garden") — the home's timetable, not anyone's record;
- participation: the day, the activity's (or event's) title, engagement active or passive, minutes.
Never: care-card items or entries, vitals, assessments, condition reports, care group, programme goals, activities
of the medical direction, attendance notes, absence reasons, refusals, ids of staff or of the timetable.
"""
from marshmallow import Schema, fields, validate

from .schemas import FamilyResidentSchema, Int, UtcDateTime

KINDS = ("routine", "activity", "event")


class FamilyRowSchema(Schema):
    class Meta:
        fields = ("time", "end", "kind", "title", "place", "cancelled", "changed", "original_time", "note")

    time = fields.Str()
    end = fields.Str(allow_none=True)
    kind = fields.Str(metadata={"enum": list(KINDS)})
    title = fields.Str()
    place = fields.Str()
    cancelled = fields.Bool()
    changed = fields.Bool()
    original_time = fields.Str(allow_none=True, metadata={"description": "the usual start when it was moved"})
    note = fields.Str(allow_none=True)


class FamilyDaySchema(Schema):
    class Meta:
        fields = ("date", "rows")

    date = fields.Str()
    rows = fields.List(fields.Nested(FamilyRowSchema))


class FamilyEventSchema(FamilyRowSchema):
    class Meta:
        fields = ("date",) + FamilyRowSchema.Meta.fields

    date = fields.Str()


class FamilyParticipationSchema(Schema):
    class Meta:
        fields = ("date", "title", "engagement", "minutes")

    date = fields.Str()
    title = fields.Str()
    engagement = fields.Str(metadata={"enum": ["active", "passive"]})
    minutes = Int(allow_none=True)


class FamilyOverviewSchema(Schema):
    """A linked resident's coming week, the home's coming events and recent participation."""

    class Meta:
        fields = ("resident", "today", "generated_at", "language", "days", "events", "participation")

    resident = fields.Nested(FamilyResidentSchema)
    today = fields.Date()
    generated_at = UtcDateTime()
    language = fields.Str(metadata={"description": "the language the titles are in"})
    days = fields.List(fields.Nested(FamilyDaySchema))
    events = fields.List(fields.Nested(FamilyEventSchema))
    participation = fields.List(fields.Nested(FamilyParticipationSchema))


class FamilySurveySchema(Schema):
    class Meta:
        fields = ("form_id", "resident_id", "period", "answered_at", "last_answered_at")

    form_id = fields.Str()
    resident_id = Int()
    period = fields.Str(metadata={"description": "the home's calendar month, YYYY-MM"})
    answered_at = UtcDateTime(allow_none=True, metadata={"description": "when answered in this period"})
    last_answered_at = UtcDateTime(allow_none=True)


class FamilySurveyInSchema(Schema):
    form_id = fields.Str(required=True, validate=validate.Length(min=1, max=40))
    resident_id = Int(required=True, strict=True)
    answers = fields.Dict(required=True, keys=fields.Str(validate=validate.Length(max=64)))


class FamilySurveyOutSchema(Schema):
    class Meta:
        fields = ("id", "form_id", "resident_id", "submitted_at", "points", "band")

    id = Int()
    form_id = fields.Str()
    resident_id = Int()
    submitted_at = UtcDateTime()
    points = fields.Float(allow_none=True)
    band = fields.Str(allow_none=True)
