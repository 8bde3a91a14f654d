"""The family API: what a relative may see of the residents linked to their account.

Every reply is dumped with a schema whose fields are an explicit allow-list (schemas.FAMILY_RESIDENT_FIELDS); a
resident who is not the relative's answers the same 404 as one that does not exist (services/family.py). Reads are
audited like a staff member's reads of a resident's record. Later additions (the resident's upcoming activities)
go under /api/family/residents/<resident_id>/... with their own allow-listed schemas.
"""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import family as family_service
from . import context
from .registry import Prebuilt, PrebuiltList, route
from .schemas import FamilyResidentSchema

bp = Blueprint("family", __name__, url_prefix="/api/family")
FAMILY = (roles.RELATIVE,)


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
