"""The family API's replies beyond the resident itself: every schema's `Meta.fields` is its allow-list, and
tests/api/test_family_view.py checks each reply's keys equal it, all the way down.

What each field is, and why a relative may have it:
- a schedule row / event: its time, end, kind (routine: meals, rest; activity; event), title in the relative's
  language, place (the hall, the garden), cancelled / changed with the original time, and the timetable's note
  about that occurrence ("moved to the garden") — the home's timetable, not anyone's record;
- participation: the day, the activity's (or event's) title, engagement active or passive, minutes;
- a home visit (a person at home, issue 18): its day, planned time and end, the catalogue's services it is for, its
  status (planned, arrived, left, no access, cancelled) and since when, whether it was verified; an alarm: its kind,
  when raised and closed, the outcome, false alarm or not.
Never: care-card items or entries, vitals, assessments, condition reports, care group, programme goals, activities
of the medical direction, attendance notes, absence reasons, refusals, ids of staff or of the timetable; of care at
home: any location (fix, accuracy, radius), the home code or its hash and salt, carers, entry notes and values,
flags, cancel and no-access reasons, card items' titles, alarm steps and the device's label.
"""
from marshmallow import Schema, fields, validate

from .schemas import FamilyResidentSchema, Int, UtcDateTime

KINDS = ("routine", "activity", "event")
#: What a relative is told of a home visit (services/family_visits.py STATUSES).
HOME_VISIT_STATUSES = ("planned", "arrived", "left", "no_access", "cancelled")


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


class FamilyHomeVisitSchema(Schema):
    """A visit to a person at home, as her family sees it (services/family_visits.py): when, what for, where it
    stands. No carer, no location, no code, no note, no reason, no flag."""

    class Meta:
        fields = ("date", "time", "end", "services", "status", "status_at", "verified")

    date = fields.Str()
    time = fields.Str(metadata={"description": "the planned start, HH:MM on the home's clock"})
    end = fields.Str(metadata={"description": "the planned end, HH:MM on the home's clock"})
    services = fields.List(fields.Str(), metadata={"description": "the catalogue's services, in her language"})
    status = fields.Str(metadata={"enum": list(HOME_VISIT_STATUSES)})
    status_at = UtcDateTime(allow_none=True, metadata={"description": "when it came to this status"})
    verified = fields.Bool(allow_none=True, metadata={"description": "the six elements of visit verification "
                                                                     "(None: a coming or cancelled visit, or "
                                                                     "one of today nothing is recorded of yet)"})


class FamilyAlarmSchema(Schema):
    """An alarm of a device in her home: kind, when, open or closed, the outcome. No steps, notes or device."""

    class Meta:
        fields = ("kind", "raised_at", "open", "closed_at", "outcome", "false_alarm")

    kind = fields.Str()
    raised_at = UtcDateTime()
    open = fields.Bool()
    closed_at = UtcDateTime(allow_none=True)
    outcome = fields.Str(allow_none=True, metadata={"description": "what happened, as written when closed"})
    false_alarm = fields.Bool()


class FamilyHomeVisitsSchema(Schema):
    """A linked person's visits at home (today, the coming week, the last 30 days) and alarms; a care home's
    resident: at_home false and empty lists."""

    class Meta:
        fields = ("at_home", "today", "generated_at", "language", "today_visits", "coming_visits",
                  "recent_visits", "alarms")

    at_home = fields.Bool(metadata={"description": "she lives at home (a community home's person)"})
    today = fields.Date()
    generated_at = UtcDateTime()
    language = fields.Str(metadata={"description": "the language the services are named in"})
    today_visits = fields.List(fields.Nested(FamilyHomeVisitSchema))
    coming_visits = fields.List(fields.Nested(FamilyHomeVisitSchema))
    recent_visits = fields.List(fields.Nested(FamilyHomeVisitSchema), metadata={"description": "newest first"})
    alarms = fields.List(fields.Nested(FamilyAlarmSchema), metadata={"description": "the last 30 days and any "
                                                                                    "still open, newest first"})


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
