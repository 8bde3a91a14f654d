"""Schemas of the activities API: the catalogue, the timetable and its occurrences, individual programmes and a
resident's schedule. The rules (which fields an event needs, at least one language of a name) are in
backend/domain/activity_schedule.py; field errors name the field."""
from datetime import date

from marshmallow import Schema, fields, validate

from ..domain.activity_schedule import DIRECTIONS, FORMATS, MODES, SESSION_KINDS
from .schemas import Int
from .translated import PlaceName

class Day(fields.Date):
    """A date a timetable or programme can name: 2000 to 2100 (no overflow at the calendar's ends)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31)))


TIME = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="must be HH:MM")


class ActivityTexts(Schema):
    """Text per language; at least one language filled where the text is required."""
    ru = fields.Str(validate=validate.Length(max=500))
    zh_Hans = fields.Str(validate=validate.Length(max=500))
    en = fields.Str(validate=validate.Length(max=500))


class ActivityLongTexts(Schema):
    ru = fields.Str(validate=validate.Length(max=4000))
    zh_Hans = fields.Str(validate=validate.Length(max=4000))
    en = fields.Str(validate=validate.Length(max=4000))


class ActivitySchema(Schema):
    id = Int()
    name = fields.Dict(keys=fields.Str(), values=fields.Str())
    description = fields.Dict(keys=fields.Str(), values=fields.Str(), allow_none=True)
    direction = fields.Str()
    mode = fields.Str()
    format = fields.Str()
    place = fields.Str()
    staff_id = Int(allow_none=True)
    capacity = Int(allow_none=True)
    active = fields.Bool()


class ActivityInputSchema(Schema):
    name = fields.Nested(ActivityTexts, required=True, metadata={"description": "ru, zh_Hans, en: at least one"})
    description = fields.Nested(ActivityLongTexts, load_default=None, allow_none=True)
    direction = fields.Str(required=True, validate=validate.OneOf(DIRECTIONS))
    mode = fields.Str(required=True, validate=validate.OneOf(MODES))
    format = fields.Str(required=True, validate=validate.OneOf(FORMATS))
    place = fields.Str(load_default="", validate=validate.Length(max=200))
    staff_id = Int(load_default=None, allow_none=True)
    capacity = Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=500))


class ActivityPatchSchema(Schema):
    name = fields.Nested(ActivityTexts)
    description = fields.Nested(ActivityLongTexts, allow_none=True)
    direction = fields.Str(validate=validate.OneOf(DIRECTIONS))
    mode = fields.Str(validate=validate.OneOf(MODES))
    format = fields.Str(validate=validate.OneOf(FORMATS))
    place = fields.Str(validate=validate.Length(max=200))
    staff_id = Int(allow_none=True)
    capacity = Int(allow_none=True, validate=validate.Range(min=1, max=500))
    active = fields.Bool(metadata={"description": "false takes the activity out of the catalogue"})


class CatalogueQuerySchema(Schema):
    include_inactive = fields.Bool(load_default=True)


class TimetableSessionSchema(Schema):
    id = Int()
    activity_id = Int()
    unit_id = Int(allow_none=True)
    kind = fields.Str()
    weekday = Int(allow_none=True)
    on_date = fields.Date(allow_none=True)
    start_time = fields.Str()
    duration_minutes = Int()
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    title = fields.Dict(keys=fields.Str(), values=fields.Str(), allow_none=True)
    place = fields.Str(allow_none=True)
    staff_id = Int(allow_none=True)
    capacity = Int(allow_none=True)


class TimetableSessionInputSchema(Schema):
    activity_id = Int(required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(SESSION_KINDS))
    unit_id = Int(load_default=None, allow_none=True, metadata={"description": "None: the whole home"})
    weekday = Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=7))
    on_date = Day(load_default=None, allow_none=True)
    start_time = fields.Str(required=True, validate=TIME)
    duration_minutes = Int(load_default=60, validate=validate.Range(min=5, max=720))
    valid_from = Day(load_default=None, allow_none=True, metadata={"description": "weekly: today by default"})
    valid_to = Day(load_default=None, allow_none=True)
    title = fields.Nested(ActivityTexts, load_default=None, allow_none=True, metadata={"description": "an event's title"})
    place = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=200))
    staff_id = Int(load_default=None, allow_none=True)
    capacity = Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=500))


class SeriesEndSchema(Schema):
    last_day = Day(load_default=None, allow_none=True, metadata={"description": "yesterday by default"})


class TimetableSessionsQuerySchema(Schema):
    on_or_after = Day(load_default=None)


class OccurrenceChangeSchema(Schema):
    on_date = Day(required=True)
    cancelled = fields.Bool(load_default=False)
    restore = fields.Bool(load_default=False, metadata={"description": "remove the change: as the timetable says"})
    start_time = fields.Str(load_default=None, allow_none=True, validate=TIME)
    place = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=200))
    note = fields.Str(load_default="", allow_none=True, validate=validate.Length(max=1000))


class TimetableQuerySchema(Schema):
    start = Day(required=True)
    end = Day(required=True)
    unit_id = Int(load_default=None)


class TimetableOccurrenceSchema(Schema):
    session_id = Int()
    activity_id = Int()
    date = fields.Str()
    start_time = fields.Str()
    end_time = fields.Str()
    duration_minutes = Int(allow_none=True)
    place = fields.Str(allow_none=True)
    unit_id = Int(allow_none=True)
    kind = fields.Str(metadata={"description": "weekly | event"})
    title = fields.Dict(allow_none=True)
    name = fields.Dict()
    direction = fields.Str()
    mode = fields.Str()
    format = fields.Str()
    staff_id = Int(allow_none=True)
    cancelled = fields.Bool()
    changed = fields.Bool()
    original_start_time = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)


class ProgrammeItemSchema(Schema):
    id = Int()
    resident_id = Int()
    activity_id = Int()
    weekdays = fields.List(Int(), allow_none=True)
    start_time = fields.Str(allow_none=True)
    goal = fields.Str()
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    created_by = Int()


class ProgrammeQuerySchema(Schema):
    resident_id = Int(required=True)


class ProgrammeInputSchema(Schema):
    resident_id = Int(required=True)
    activity_id = Int(required=True)
    weekdays = fields.List(Int(validate=validate.Range(min=1, max=7)), load_default=None, allow_none=True,
                           metadata={"description": "ISO weekdays; none: every day the activity runs"})
    start_time = fields.Str(load_default=None, allow_none=True, validate=TIME,
                            metadata={"description": "an individual activity's own time"})
    goal = fields.Str(load_default="", validate=validate.Length(max=1000))
    valid_from = Day(load_default=None, allow_none=True, metadata={"description": "today by default"})
    valid_to = Day(load_default=None, allow_none=True)


class ProgrammePatchSchema(Schema):
    activity_id = Int()
    weekdays = fields.List(Int(validate=validate.Range(min=1, max=7)), allow_none=True)
    start_time = fields.Str(allow_none=True, validate=TIME)
    goal = fields.Str(validate=validate.Length(max=1000))
    valid_to = Day(allow_none=True)


class ProgrammeEndSchema(Schema):
    last_day = Day(load_default=None, allow_none=True, metadata={"description": "today by default"})


class ResidentScheduleQuerySchema(Schema):
    resident_id = Int(required=True)
    start = Day(required=True)
    end = Day(required=True)


class ResidentDaySchema(Schema):
    date = fields.Str()
    rows = fields.List(fields.Dict(), metadata={"description": "{time, end, kind: routine|activity|event|care, ...}"})


class PeopleUnitSchema(Schema):
    id = Int()
    name = PlaceName(metadata={"description": "in the reader's language, else as entered"})


class PeopleResidentSchema(Schema):
    id = Int()
    full_name = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    unit_id = Int()
    unit_name = PlaceName()


class PeopleSchema(Schema):
    units = fields.List(fields.Nested(PeopleUnitSchema))
    residents = fields.List(fields.Nested(PeopleResidentSchema))
    staff = fields.List(fields.Dict(), metadata={"description": "{id, full_name, role}"})
