"""The family API: what a relative may see of the residents linked to their account.

Every reply is dumped with a schema whose fields are an explicit allow-list (schemas.FAMILY_RESIDENT_FIELDS); a
resident who is not the relative's answers the same 404 as one that does not exist (services/family.py). Reads are
audited like a staff member's reads of a resident's record. The resident's days (today and the coming week, the
home's events, recent participation), a person at home's visits and alarms (services/family_visits.py) and the
satisfaction questionnaire reply through the allow-listed schemas of family_schemas.py.
"""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import family as family_service
from ..services import family_visits as family_visits_service
from . import context
from .family_schemas import (FamilyHomeVisitsSchema, FamilyOverviewSchema, FamilySurveyInSchema,
                             FamilySurveyOutSchema, FamilySurveySchema)
from .registry import Prebuilt, PrebuiltList, route
from .schemas import FamilyResidentSchema

bp = Blueprint("family", __name__, url_prefix="/api/family")
FAMILY = roles.FAMILY


@route(bp, "/residents", roles=FAMILY, summary="The residents linked to the signed-in relative",
       response=FamilyResidentSchema, many=True)
def residents():
    found = family_service.linked_residents(current_user)
    reply = PrebuiltList(FamilyResidentSchema(many=True).dump(found))  # dumped before the audit row commits
    context.audit_read("family_residents", current_user.id,
                       {"view": "family", "residents": [r["id"] for r in reply]})
    return reply


@route(bp, "/residents/<resident_id>", roles=FAMILY, summary="One resident linked to the signed-in relative",
       response=FamilyResidentSchema)
def resident(resident_id):
    found = family_service.get_linked_resident(current_user, resident_id)
    reply = Prebuilt(FamilyResidentSchema().dump(found))
    context.audit_read("resident", found.id, {"view": "family"})
    return reply


@route(bp, "/residents/<resident_id>/overview", roles=FAMILY, response=FamilyOverviewSchema,
       summary="A linked resident's schedule for today and the coming week, the home's coming events and recent "
               "participation, in the relative's language; nothing medical")
def overview(resident_id):
    found = family_service.overview(current_user, resident_id, context.now())
    reply = Prebuilt(FamilyOverviewSchema().dump(found))
    context.audit_read("resident", found["resident"].id, {"view": "family_overview"})
    return reply


@route(bp, "/residents/<resident_id>/visits", roles=FAMILY, response=FamilyHomeVisitsSchema,
       summary="A linked person at home: her visits today (with their status), the coming week and the last 30 days "
               "(verified or not), and her alarms with their outcome; no location, code, carer, note or flag. A care "
               "home's resident: at_home false, nothing listed")
def visits(resident_id):
    found = family_visits_service.home_visits(current_user, resident_id, context.now())
    reply = Prebuilt(FamilyHomeVisitsSchema().dump(found))
    context.audit_read("resident", int(resident_id), {"view": "family_visits"})
    return reply


@route(bp, "/surveys", roles=FAMILY, response=FamilySurveySchema, many=True,
       summary="The questionnaires the relative may answer, per linked resident, and whether answered this period")
def surveys():
    return family_service.surveys(current_user, context.now())


@route(bp, "/surveys", ["POST"], roles=FAMILY, body=FamilySurveyInSchema, response=FamilySurveyOutSchema,
       status=201, summary="Answer the satisfaction questionnaire (scored by the server; errors name the question)")
def answer_survey(body):
    return family_service.answer_survey(context.ctx(), body)
