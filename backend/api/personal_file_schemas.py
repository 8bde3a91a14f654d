"""Schemas of the resident's personal file (api/personal_file.py, services/personal_file.py)."""
from marshmallow import Schema, fields

from .archive_schemas import PdfQuerySchema
from .assessment_schemas import AssessmentSchema
from .care_group_schemas import CareGroupDecisionSchema, ReassessmentSchema
from .schemas import Int, ResidentSchema, UtcDateTime
from .stay_schemas import StayEventRowSchema
from .translated import PlaceName

__all__ = ["PdfQuerySchema", "PersonalFileSchema"]


class PlanChangeSchema(Schema):
    change = fields.Str(metadata={"description": "header | section | rehabilitation | service_added | "
                                                 "service_removed | service_changed | row_added | row_removed | "
                                                 "row_changed"})
    section = fields.Str(allow_none=True)
    id = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    fields = fields.List(fields.Dict())


class FilePlanVersionSchema(Schema):
    number = Int()
    created_at = UtcDateTime()
    created_by_name = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
    changes = fields.List(fields.Nested(PlanChangeSchema), metadata={"description": "against the version before"})


class FileClosedCardSchema(Schema):
    id = Int()
    month = fields.Date()
    version = Int()
    closed_at = UtcDateTime()
    closed_by_name = fields.Str(allow_none=True)


class PersonalFileSchema(Schema):
    resident = fields.Nested(ResidentSchema)
    home = fields.Str()
    unit = PlaceName()
    timezone = fields.Str()
    today = fields.Date()
    stay_events = fields.List(fields.Nested(StayEventRowSchema), metadata={"description": "oldest first"})
    assessments = fields.List(fields.Nested(AssessmentSchema), metadata={"description": "oldest first"})
    decisions = fields.List(fields.Nested(CareGroupDecisionSchema), metadata={"description": "oldest first"})
    reassessment = fields.Nested(ReassessmentSchema)
    plan_versions = fields.List(fields.Nested(FilePlanVersionSchema), metadata={"description": "oldest first"})
    closed_cards = fields.List(fields.Nested(FileClosedCardSchema), metadata={"description": "oldest first"})
