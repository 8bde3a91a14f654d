"""Schemas of the assessments API (backend/api/assessments.py)."""
from marshmallow import Schema, fields, validate

from ..domain import forms as form_rules
from .schemas import Int, UtcDateTime


class AssessmentQuerySchema(Schema):
    resident_id = Int(required=True)
    form_id = fields.Str(load_default=None, validate=validate.OneOf(form_rules.form_ids()),
                         metadata={"description": "only assessments of this form"})


class AssessmentScoreSchema(Schema):
    total = fields.Float(allow_none=True)
    subscores = fields.Dict(keys=fields.Str(), values=fields.Float())
    band = fields.Str(allow_none=True, metadata={"description": "the band's key in the form definition"})
    complete = fields.Bool()
    version = Int(allow_none=True, metadata={"description": "the form definition's version the server scored with"})


class AssessmentSchema(Schema):
    id = fields.Str(metadata={"description": "the entry's id"})
    resident_id = Int()
    form_id = fields.Str(metadata={"description": "the form definition (frontend/forms/<form_id>.json)"})
    day = fields.Date(metadata={"description": "the care day it was made"})
    device_time = fields.Str()
    received_at = UtcDateTime()
    author_id = Int()
    author_name = fields.Str(allow_none=True)
    author_post = fields.Str(allow_none=True, metadata={
        "description": "her post (job title) when the form reached the server: the form's «Ф.И.О., должность»"})
    answers = fields.Dict(allow_none=True)
    score = fields.Nested(AssessmentScoreSchema, allow_none=True,
                          metadata={"description": "the server's score, the authoritative one"})
    supersedes = fields.Str(allow_none=True, metadata={"description": "the assessment this one corrects"})
    late_after_confirmation = fields.Bool()


class FormSummarySchema(Schema):
    id = fields.Str()
    version = Int(allow_none=True)
    title = fields.Dict(keys=fields.Str(), values=fields.Str(), metadata={"description": "by locale"})
