"""Schemas of the dispatcher's visits API (issue 18, section 3): the week's visits, generation, a visit added by hand,
assignment, cancellation, the day's board, carers and their blocks, follow-up calls. The rules are in
backend/domain (visit_plan, visit_board) and backend/services/visits.py; field errors name the field."""
from marshmallow import Schema, fields, validate

from ..domain import visit_board
from ..services.visits import (ACCEPT_REASON_MAX, ACCEPT_REASON_MIN, AD_HOC_SOURCES, FOLLOW_UP_RESULTS,
                               MAX_CARERS)
from .activity_schemas import TIME, Day
from .assessment_schemas import AssessmentScoreSchema
from .schemas import BigInt, Int, UtcDateTime

REASON = validate.Length(max=1000)


# --- input ---------------------------------------------------------------------------------------------------

class GenerateSchema(Schema):
    unit_id = Int(required=True, metadata={"description": "the station"})
    week_start = Day(required=True, metadata={"description": "a Monday"})


class VisitsQuerySchema(Schema):
    unit_id = Int(required=True)
    start = Day(required=True, data_key="from", metadata={"description": "the first day (included)"})
    end = Day(required=True, data_key="to", metadata={"description": "the last day (included), at most 31 days"})


class VisitInputSchema(Schema):
    resident_id = Int(required=True, metadata={"description": "the person at home"})
    day = Day(required=True)
    start_time = fields.Str(required=True, validate=TIME, metadata={"description": "HH:MM, the home's clock"})
    planned_minutes = Int(required=True, validate=validate.Range(min=5, max=720))
    item_ids = fields.List(Int(), load_default=list, validate=validate.Length(max=40),
                           metadata={"description": "items of her card for that month"})
    source = fields.Str(load_default="ad_hoc", validate=validate.OneOf(AD_HOC_SOURCES))


class AssignSchema(Schema):
    carer_ids = fields.List(Int(), required=True, validate=validate.Length(min=1, max=MAX_CARERS),
                            metadata={"description": "1 to 3 carers of the station, none blocked"})


class CancelSchema(Schema):
    reason = fields.Str(required=True, validate=REASON)


class AcceptLocationSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=ACCEPT_REASON_MIN, max=ACCEPT_REASON_MAX),
                        metadata={"description": "why the carer's reason for showing no location is accepted"})


class BoardQuerySchema(Schema):
    unit_id = Int(required=True)
    day = Day(required=True)


class StationQuerySchema(Schema):
    unit_id = Int(required=True)


class BlockSchema(Schema):
    reason = fields.Str(required=True, validate=REASON)


class FollowUpsQuerySchema(Schema):
    unit_id = Int(required=True)
    week_start = Day(required=True, metadata={"description": "a Monday"})


class FollowUpInputSchema(Schema):
    result = fields.Str(required=True, validate=validate.OneOf(FOLLOW_UP_RESULTS))
    note = fields.Str(load_default=None, allow_none=True, validate=REASON)
    answers = fields.Dict(keys=fields.Str(validate=validate.Length(max=100)), values=fields.Raw(allow_none=True),
                          load_default=None, allow_none=True, validate=validate.Length(max=50),
                          metadata={"description": "the home-care satisfaction questionnaire (forms/"
                                                   "satisfaction_homecare.json) asked in the call: {question id: "
                                                   "answer}, complete; only with result confirmed or not_confirmed"})


# --- output --------------------------------------------------------------------------------------------------

class VisitPersonSchema(Schema):
    id = Int()
    full_name = fields.Str()
    address = fields.Str(allow_none=True)
    phone = fields.Str(allow_none=True)


class VisitItemSchema(Schema):
    id = Int()
    title = fields.Str(allow_none=True)
    category = fields.Str(allow_none=True)
    service_item_id = Int(allow_none=True)


class VisitCarerSchema(Schema):
    id = Int()
    full_name = fields.Str(allow_none=True)
    assigned_at = UtcDateTime()


class AssignmentSchema(Schema):
    carer_id = Int()
    full_name = fields.Str(allow_none=True)
    assigned_at = UtcDateTime()
    assigned_by = Int()
    unassigned_at = UtcDateTime(allow_none=True, metadata={"description": "None: she is assigned"})


class VisitSchema(Schema):
    id = Int()
    unit_id = Int()
    resident_id = Int()
    person = fields.Nested(VisitPersonSchema)
    day = fields.Date()
    start_time = fields.Str()
    planned_minutes = Int()
    source = fields.Str(metadata={"description": "plan | ad_hoc | alarm | inspection"})
    item_ids = fields.List(Int())
    items = fields.List(fields.Nested(VisitItemSchema))
    carers = fields.List(fields.Nested(VisitCarerSchema), metadata={"description": "the current carers"})
    assignments = fields.List(fields.Nested(AssignmentSchema), metadata={"description": "the history"})
    cancelled = fields.Bool()
    cancelled_at = UtcDateTime(allow_none=True)
    cancelled_by = Int(allow_none=True)
    cancelled_by_name = fields.Str(allow_none=True)
    cancel_reason = fields.Str(allow_none=True)
    created_at = UtcDateTime()
    created_by = Int()
    location_accepted = fields.Bool(metadata={"description": "the station head accepted the carer's reason for "
                                                             "showing no presence at the home"})
    location_accepted_at = UtcDateTime(allow_none=True)
    location_accepted_by = Int(allow_none=True)
    location_accepted_by_name = fields.Str(allow_none=True)
    location_accepted_reason = fields.Str(allow_none=True)
    seq = BigInt()


class SkippedSchema(Schema):
    resident_id = Int(allow_none=True)
    reason = fields.Str(metadata={"description": "past | no_card | no_timed_items | exists | cancelled"})
    days = fields.List(fields.Date())
    day = fields.Date()
    start_time = fields.Str()


class GenerateReplySchema(Schema):
    made = fields.List(fields.Nested(VisitSchema))
    skipped = fields.List(fields.Nested(SkippedSchema))


class VerificationSchema(Schema):
    verified = fields.Bool()
    missing = fields.List(fields.Str(), metadata={"description": "service, person, day, location, carer, times"})


class BoardEventSchema(Schema):
    id = fields.Str()
    status = fields.Str()
    reason = fields.Str(allow_none=True)
    author_id = Int()
    device_time = fields.Str(metadata={"description": "the phone's time, with its offset"})
    flags = fields.Raw(allow_none=True)
    signed = fields.Bool()


class BoardVisitSchema(VisitSchema):
    state = fields.Str(metadata={"description": " | ".join(visit_board.STATES)})
    since = fields.Str(allow_none=True, metadata={"description": "with the home's offset"})
    flags = fields.List(fields.Str())
    verification = fields.Nested(VerificationSchema)
    carer_last_sync = UtcDateTime(allow_none=True)
    pulled_at = UtcDateTime(allow_none=True)
    events = fields.List(fields.Nested(BoardEventSchema))
    items_done = fields.List(Int())
    location_acceptable = fields.Bool(metadata={"description": "an arrival or departure shows no presence and no "
                                                               "reason is accepted yet: the station head may accept"})


class BoardSchema(Schema):
    unit_id = Int()
    day = fields.Date()
    now = UtcDateTime()
    timezone = fields.Str()
    visits = fields.List(fields.Nested(BoardVisitSchema))
    counts = fields.Dict(keys=fields.Str(), values=Int())


class BlockStateSchema(Schema):
    id = Int()
    reason = fields.Str()
    blocked_at = UtcDateTime()
    blocked_by = Int()
    blocked_by_name = fields.Str(allow_none=True)


class CarerSchema(Schema):
    id = Int()
    full_name = fields.Str()
    active = fields.Bool()
    unit_ids = fields.List(Int())
    blocked = fields.Bool()
    block = fields.Nested(BlockStateSchema, allow_none=True)
    upcoming_visit_ids = fields.List(Int(), metadata={"description": "block and unblock: her visits from today"})


class FollowUpCallSchema(Schema):
    id = Int()
    visit_id = Int()
    result = fields.Str()
    note = fields.Str(allow_none=True)
    called_by = Int()
    called_by_name = fields.Str(allow_none=True)
    called_at = UtcDateTime()
    form_id = fields.Str(allow_none=True, metadata={"description": "satisfaction_homecare when answered"})
    answers = fields.Dict(keys=fields.Str(), values=fields.Raw(), allow_none=True)
    score = fields.Nested(AssessmentScoreSchema, allow_none=True,
                          metadata={"description": "the server's score of the answers, with its band"})


class FollowUpVisitSchema(VisitSchema):
    in_sample = fields.Bool()
    result = fields.Str(allow_none=True, metadata={"description": "the latest call's"})
    score = fields.Nested(AssessmentScoreSchema, allow_none=True,
                          metadata={"description": "the latest call's questionnaire score (null without one)"})
    calls = fields.List(fields.Nested(FollowUpCallSchema))


class FollowUpsSchema(Schema):
    unit_id = Int()
    week_start = fields.Date()
    finished = Int(metadata={"description": "the week's finished visits"})
    sample_size = Int()
    visits = fields.List(fields.Nested(FollowUpVisitSchema))
