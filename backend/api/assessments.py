"""Assessments: the form definitions' scored entries, per resident.

Assessments are written through the sync push like every bedside entry (kind 'assessment'); these routes read
them with the server's score.
"""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import assessments as assessment_service
from . import context
from .assessment_schemas import AssessmentQuerySchema, AssessmentSchema, FormSummarySchema
from .registry import PrebuiltList, route

bp = Blueprint("assessments", __name__, url_prefix="/api/assessments")
READ = roles.PLAN_READERS


@route(bp, "", roles=READ, summary="A resident's standing assessments (corrections replace what they correct), "
       "newest first, with the server's score", query=AssessmentQuerySchema, response=AssessmentSchema, many=True)
def list_assessments(query):
    rows = assessment_service.assessments_of(current_user, query["resident_id"], query["form_id"])
    reply = PrebuiltList(AssessmentSchema(many=True).dump(rows))
    context.audit_read("resident", query["resident_id"], {"view": "assessments", "form_id": query["form_id"]})
    return reply


@route(bp, "/forms", roles=roles.CLINICAL, summary="The assessment forms: id, version and title by locale",
       response=FormSummarySchema, many=True)
def list_forms():
    return assessment_service.form_titles()
