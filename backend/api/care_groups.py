"""Care-group decisions, the suggestion, and the reassessment board."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import care_groups as service
from . import context
from .care_group_schemas import (
    CareGroupDecisionInSchema,
    CareGroupQuerySchema,
    CareGroupViewSchema,
    ReassessmentBoardQuerySchema,
    ReassessmentBoardSchema,
)
from .registry import Prebuilt, route

bp = Blueprint("care_groups", __name__, url_prefix="/api/care-groups")
READ = roles.PLAN_READERS
WRITE = roles.PLANNING


@route(bp, "", roles=READ, summary="A resident's care group: history, reassessment and the app's suggestion",
       query=CareGroupQuerySchema, response=CareGroupViewSchema)
def group(query):
    reply = Prebuilt(CareGroupViewSchema().dump(service.group_view(current_user, query["resident_id"], context.now())))
    context.audit_read("resident", query["resident_id"], {"view": "care_group"})
    return reply


@route(bp, "", ["POST"], roles=WRITE, summary="Record the team's care-group decision", body=CareGroupDecisionInSchema,
       response=CareGroupViewSchema, status=201)
def decide(body):
    return service.decide(context.ctx(), body)


@route(bp, "/board", roles=READ, summary="Reassessments due, overdue or marked, and goals due, for a unit",
       query=ReassessmentBoardQuerySchema, response=ReassessmentBoardSchema)
def board(query):
    return service.board(current_user, query["unit_id"], context.now())
