"""Schemas of the care-plan API. The plan's content is checked by backend/domain/care_plan.py (field errors name
the path inside the content, e.g. `content.sections.2.services.0.periodicity.times`)."""
from marshmallow import Schema, fields, validate

from .schemas import PLAUSIBLE_DATE, Int, UtcDateTime


class PlanVersionSchema(Schema):
    number = Int()
    created_at = UtcDateTime()
    created_by = Int()
    created_by_name = fields.Str(allow_none=True)
    note = fields.Str()


class CardSummarySchema(Schema):
    """What saving the plan did to one of the resident's cards."""
    card_id = Int()
    month = fields.Date()
    status = fields.Str()
    effective_day = fields.Date()
    kept = Int()
    ended = Int()
    changed_end = Int()
    deleted = Int()
    added = Int()


class PlanSchema(Schema):
    resident_id = Int()
    resident_name = fields.Str()
    room = fields.Str()
    birth_date = fields.Date(allow_none=True)
    current_version = Int(metadata={"description": "0 while the resident has no plan (content is then a blank "
                                                   "plan, its header prefilled)"})
    version = fields.Nested(PlanVersionSchema, allow_none=True)
    content = fields.Dict(metadata={"description": "header and six sections: see backend/domain/care_plan.py"})
    latest = fields.Dict(metadata={"description": "care group, Waterlow and Morse totals and pain from the record "
                                                  "now, with the days they were assessed"})
    changes = fields.List(fields.Dict(), metadata={"description": "after a save: what changed (as in the diff)"})
    cards = fields.List(fields.Nested(CardSummarySchema), metadata={"description": "after a save: the cards that "
                                                                                   "followed the plan"})


class PlanSaveSchema(Schema):
    content = fields.Dict(required=True)
    note = fields.Str(load_default="", validate=validate.Length(max=2000))
    effective_day = fields.Date(load_default=None, allow_none=True, validate=PLAUSIBLE_DATE, metadata={
        "description": "from when cards generated from the plan follow it: today or later; tomorrow by default"})
    base_version = Int(load_default=None, allow_none=True, metadata={
        "description": "the version the planner edited; a newer one saved meanwhile answers 409 plan_changed"})


class DiffQuerySchema(Schema):
    from_version = Int(required=True, data_key="from", validate=validate.Range(min=0))
    to_version = Int(required=True, data_key="to", validate=validate.Range(min=1))


class DiffSchema(Schema):
    from_version = Int(data_key="from")
    to_version = Int(data_key="to")
    changes = fields.List(fields.Dict(), metadata={"description": "[{change, section?, id?, name?, fields?: "
                                                                  "[{field, old, new}]}]"})


class GenerateCardSchema(Schema):
    month = fields.Date(load_default=None, allow_none=True, validate=PLAUSIBLE_DATE, metadata={
        "description": "any day of the month; next month by default"})
