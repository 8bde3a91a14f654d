"""Individual care plans: versions, differences, and the cards generated from them."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import care_plans as plan_service
from . import context
from .care_plan_schemas import (
    DiffQuerySchema,
    DiffSchema,
    GenerateCardSchema,
    PlanSaveSchema,
    PlanSchema,
    PlanVersionSchema,
)
from .registry import Prebuilt, PrebuiltList, route
from .schemas import CardSchema

bp = Blueprint("care_plans", __name__, url_prefix="/api/care-plans")
READ = roles.PLAN_READERS
WRITE = roles.PLANNING


def _read(resident_id, view, **detail):
    context.audit_read("resident", resident_id, {"view": view, **detail})


@route(bp, "/<int:resident_id>", roles=READ, summary="A resident's care plan at its current version",
       response=PlanSchema)
def get_plan(resident_id):
    reply = Prebuilt(PlanSchema().dump(plan_service.get_plan(current_user, resident_id)))
    _read(resident_id, "care_plan", version=reply["current_version"])
    return reply


@route(bp, "/<int:resident_id>/versions", roles=READ, summary="The plan's versions, newest first",
       response=PlanVersionSchema, many=True)
def list_versions(resident_id):
    reply = PrebuiltList(PlanVersionSchema(many=True).dump(plan_service.versions(current_user, resident_id)))
    _read(resident_id, "care_plan_versions")
    return reply


@route(bp, "/<int:resident_id>/versions/<int:number>", roles=READ, summary="One version of the plan",
       response=PlanSchema)
def get_version(resident_id, number):
    reply = Prebuilt(PlanSchema().dump(plan_service.get_plan(current_user, resident_id, number)))
    _read(resident_id, "care_plan", version=number)
    return reply


@route(bp, "/<int:resident_id>/versions", ["POST"], roles=WRITE,
       summary="Save the plan as a new version; cards generated from the plan follow it from the effective day",
       body=PlanSaveSchema, response=PlanSchema, status=201)
def save_version(resident_id, body):
    return plan_service.save_version(context.ctx(), resident_id, body["content"], body["note"],
                                     body["effective_day"], body["base_version"])


@route(bp, "/<int:resident_id>/diff", roles=READ, summary="What changed between two versions (from=0: a blank plan)",
       query=DiffQuerySchema, response=DiffSchema)
def diff(resident_id, query):
    reply = Prebuilt(DiffSchema().dump(plan_service.diff_versions(current_user, resident_id, query["from_version"],
                                                                  query["to_version"])))
    _read(resident_id, "care_plan_diff", versions=[query["from_version"], query["to_version"]])
    return reply


@route(bp, "/<int:resident_id>/cards", ["POST"], roles=WRITE,
       summary="Generate a month's draft card (next month by default) from the plan's current version",
       body=GenerateCardSchema, response=CardSchema, status=201)
def generate_card(resident_id, body):
    return plan_service.generate_card(context.ctx(), resident_id, body["month"])
