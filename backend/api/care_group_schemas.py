"""Schemas of the care-group API (decisions, the suggestion, the reassessment board) and of admission."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain import care_groups as rules
from .schemas import PLAUSIBLE_DATE, Int, ResidentSchema, UnitSchema, UtcDateTime


class CareGroupQuerySchema(Schema):
    resident_id = Int(required=True)


class ReassessmentBoardQuerySchema(Schema):
    unit_id = Int(required=True)


class SuggestionAnswerSchema(Schema):
    form = fields.Str(metadata={"description": "form id: adl_observation | mmse | age_no_barrier"})
    item = fields.Str(metadata={"description": "question id (a25), sub-score (item1) or total"})
    value = fields.Raw()


class SuggestionReasonSchema(Schema):
    code = fields.Str(metadata={"description": "machine-readable reason (domain/care_groups.py)"})
    params = fields.Dict()
    answers = fields.List(fields.Nested(SuggestionAnswerSchema), load_default=list,
                          metadata={"description": "the answers that led to this reason"})


class CareGroupSuggestionSchema(Schema):
    group = Int(allow_none=True, metadata={"description": "1-4 (I-IV), or null when there is no suggestion"})
    reasons = fields.List(fields.Nested(SuggestionReasonSchema))
    unseen = fields.List(fields.Nested(SuggestionReasonSchema), load_default=list,
                         metadata={"description": "what the suggestion cannot see: behaviour (no form measures "
                                                  "it), an \"Age is no barrier\" screen missing or stale"})


class CareGroupDecisionSchema(Schema):
    id = Int()
    group = Int()
    decided_on = fields.Date()
    decided_by = Int()
    decided_by_name = fields.Str(allow_none=True)
    decided_by_post = fields.Str(allow_none=True,
                                 metadata={"description": "her post when she decided (domain/posts.py)"})
    recorded_at = UtcDateTime()
    reason = fields.Str()
    suggestion = fields.Nested(CareGroupSuggestionSchema, allow_none=True)
    basis = fields.List(fields.Str())
    grounds = fields.List(fields.Str(), metadata={"description": "criteria of the group's definition the "
                                                                 "decision rests on (empty before 0012)"})
    note = fields.Str(allow_none=True)


class GroupAssessmentSchema(Schema):
    id = fields.Str()
    form_id = fields.Str()
    day = fields.Date()
    author_id = Int()
    author_name = fields.Str(allow_none=True)
    answers = fields.Dict()
    score = fields.Dict()


class ReassessmentSchema(Schema):
    due_on = fields.Date(allow_none=True)
    status = fields.Str(metadata={"description": "overdue | marked | never_assessed | due | ok"})
    marked = fields.Bool(metadata={"description": "a condition-change report since the last decision"})


class CareGroupViewSchema(Schema):
    resident = fields.Nested(ResidentSchema)
    care_group = Int(allow_none=True)
    today = fields.Date()
    reassessment = fields.Nested(ReassessmentSchema)
    history = fields.List(fields.Nested(CareGroupDecisionSchema), metadata={"description": "newest first"})
    suggestion = fields.Nested(CareGroupSuggestionSchema)
    basis = fields.List(fields.Str(), metadata={"description": "ids of the assessments the suggestion rests on"})
    assessments = fields.List(fields.Nested(GroupAssessmentSchema),
                              metadata={"description": "the latest observation form, MMSE and \"Age is no "
                                                       "barrier\" screen, those there are"})
    grounds = fields.Dict(keys=fields.Str(), values=fields.List(fields.Str()),
                          metadata={"description": "each group's definition criteria (004 Appendix 4), by group"})


class CareGroupDecisionInSchema(Schema):
    resident_id = Int(required=True, strict=True)
    group = Int(required=True, strict=True, validate=validate.OneOf(rules.GROUPS))
    decided_on = fields.Date(required=True, validate=PLAUSIBLE_DATE,
                             metadata={"description": "not in the future (the home's day)"})
    reason = fields.Str(required=True, validate=validate.OneOf(rules.REASONS))
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    grounds = fields.List(fields.Str(validate=validate.Length(min=1, max=40)), required=True,
                          validate=validate.Length(max=20),
                          metadata={"description": "criteria of the chosen group's definition (004 Appendix 4) "
                                                   "the decision rests on: at least one, all of that group"})
    basis = fields.List(fields.Str(validate=validate.Length(min=1, max=36)), load_default=None, allow_none=True,
                        validate=validate.Length(max=20),
                        metadata={"description": "assessment entry ids the team looked at (default: the "
                                                 "suggestion's); the suggestion stored is the server's own"})


class ReassessmentRowSchema(Schema):
    resident_id = Int()
    name = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    care_group = Int(allow_none=True)
    last_decided_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    days_left = Int(allow_none=True)
    status = fields.Str()
    marked = fields.Bool()


class GoalDueSchema(Schema):
    resident_id = Int()
    name = fields.Str()
    room = fields.Str()
    bed = fields.Str()
    plan_version = Int()
    section = fields.Str(allow_none=True)
    row_id = fields.Raw(allow_none=True)
    problem = fields.Str(allow_none=True)
    goal = fields.Str(allow_none=True)
    set_on = fields.Date(allow_none=True)
    review_on = fields.Date()
    overdue_days = Int()


class ReassessmentBoardSchema(Schema):
    unit = fields.Nested(UnitSchema)
    today = fields.Date()
    due_window_days = Int()
    counts = fields.Dict(keys=fields.Str(), values=Int())
    residents = fields.List(fields.Nested(ReassessmentRowSchema))
    goals = fields.List(fields.Nested(GoalDueSchema))


class AdmissionSchema(Schema):
    full_name = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    birth_date = fields.Date(load_default=None, allow_none=True, validate=PLAUSIBLE_DATE)
    unit_id = Int(required=True, strict=True)
    post_id = Int(required=True, strict=True)
    room = fields.Str(load_default="", validate=validate.Length(max=20))
    bed = fields.Str(load_default="", validate=validate.Length(max=20))
    admitted_on = fields.Date(load_default=None, allow_none=True, validate=PLAUSIBLE_DATE,
                              metadata={"description": "default: today"})

    @validates_schema
    def _name(self, data, **kwargs):
        if not data.get("full_name", "").strip():
            raise ValidationError("must not be blank", "full_name")
