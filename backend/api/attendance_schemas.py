"""Schemas of the attendance API (backend/api/attendance.py): the activity staff's pull, the day's sessions with
who is expected and who was marked, the residents without any activity for seven days."""
from marshmallow import Schema, fields, validate

from .activity_schemas import ActivitySchema, ProgrammeItemSchema, TimetableSessionSchema
from .schemas import PLAUSIBLE_DATE, BigInt, EntryOutSchema, Int, ResidentSchema, StaffSchema

TEXTS = {"description": "the home's own words per language: {\"ru\", \"zh_Hans\", \"en\"}"}


class AttendancePullQuerySchema(Schema):
    cursor = BigInt(load_default=0, validate=validate.Range(min=0))
    limit = Int(load_default=1000, validate=validate.Range(min=1, max=5000))
    unit_id = Int(load_default=None, allow_none=True,
                  metadata={"description": "only this unit's residents (default: every unit the person reaches)"})
    device_id = fields.Str(load_default=None, validate=validate.Length(max=64))


class UnitQuerySchema(Schema):
    unit_id = Int(load_default=None, allow_none=True)


class DayQuerySchema(UnitQuerySchema):
    day = fields.Date(load_default=None, validate=PLAUSIBLE_DATE, metadata={"description": "default: the home's today"})


class ActivityOutSchema(ActivitySchema):
    """A catalogue activity as the attendance tablet keeps it (with its feed position)."""
    seq = BigInt()


class ChangeOutSchema(Schema):
    id = Int()
    session_id = Int()
    on_date = fields.Date()
    cancelled = fields.Bool()
    start_time = fields.Str(allow_none=True)
    place = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    seq = BigInt()


class SessionOutSchema(TimetableSessionSchema):
    """A timetable line as the attendance tablet keeps it: the catalogue's place beside its own, its feed position."""
    activity_place = fields.Str()
    seq = BigInt()
    changes = fields.List(fields.Nested(ChangeOutSchema),
                          metadata={"description": "the session's current changes (one withdrawn is gone)"})


class ProgrammeOutSchema(ProgrammeItemSchema):
    """A programme line as the attendance tablet keeps it (with its feed position)."""
    seq = BigInt()


class AttendancePullSchema(Schema):
    server_epoch = fields.Str()
    cursor = BigInt()
    has_more = fields.Bool()
    snapshot = fields.Bool()
    today = fields.Str()
    server_time = fields.Str()
    unit_id = Int(allow_none=True)
    unit_ids = fields.List(Int(), metadata={
        "description": "the units this pull covers (the one asked for, else every unit the person works in): a "
                       "cursor holds for these only; when they change, the tablet pulls a snapshot"})
    residents = fields.List(fields.Nested(ResidentSchema))
    activities = fields.List(fields.Nested(ActivityOutSchema))
    sessions = fields.List(fields.Nested(SessionOutSchema))
    changes = fields.List(fields.Nested(ChangeOutSchema))
    programme = fields.List(fields.Nested(ProgrammeOutSchema))
    entries = fields.List(fields.Nested(EntryOutSchema))
    staff = fields.List(fields.Nested(StaffSchema))


class ActivityBriefSchema(Schema):
    id = Int()
    name = fields.Dict(metadata=TEXTS)
    direction = fields.Str()
    mode = fields.Str()
    format = fields.Str()
    place = fields.Str()


class OccurrenceSchema(Schema):
    session_id = Int()
    activity_id = Int()
    date = fields.Str()
    start_time = fields.Str()
    end_time = fields.Str()
    duration_minutes = Int(allow_none=True)
    place = fields.Str()
    unit_id = Int(allow_none=True)
    kind = fields.Str()
    title = fields.Dict(allow_none=True, metadata=TEXTS)
    cancelled = fields.Bool()
    changed = fields.Bool()
    note = fields.Str(allow_none=True)
    activity = fields.Nested(ActivityBriefSchema, allow_none=True)
    expected = fields.List(Int(), metadata={"description": "residents whose programme names the activity that day"})
    attendance = fields.List(fields.Nested(EntryOutSchema), metadata={"description": "the standing attendance"})


class IndividualSchema(Schema):
    programme_item_id = Int()
    resident_id = Int()
    activity_id = Int()
    start_time = fields.Str()
    goal = fields.Str()
    activity = fields.Nested(ActivityBriefSchema, allow_none=True)
    attendance = fields.Nested(EntryOutSchema, allow_none=True)


class DayOverviewSchema(Schema):
    day = fields.Date()
    unit_id = Int(allow_none=True)
    sessions = fields.List(fields.Nested(OccurrenceSchema))
    individual = fields.List(fields.Nested(IndividualSchema))
    residents = fields.List(fields.Nested(ResidentSchema))


class IdleResidentSchema(Schema):
    resident_id = Int()
    full_name = fields.Str()
    unit_id = Int()
    room = fields.Str()
    last_day = fields.Date(allow_none=True, metadata={"description": "the last day she took part, if known"})


class IdleSchema(Schema):
    today = fields.Date()
    days = Int()
    residents = fields.List(fields.Nested(IdleResidentSchema))


