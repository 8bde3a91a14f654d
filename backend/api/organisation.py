from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..models import Resident, Unit
from ..services import access
from ..services import residents as resident_service
from . import context
from .care_group_schemas import AdmissionSchema
from .registry import route
from .schemas import PostSchema, ResidentQuerySchema, ResidentSchema, UnitSchema

bp = Blueprint("organisation", __name__, url_prefix="/api")


@route(bp, "/posts", roles=roles.CLINICAL + (roles.ADMIN,), summary="Duty posts the user works at",
       response=PostSchema, many=True)
def posts():
    return access.posts(current_user)


@route(bp, "/units", roles=(roles.SUPERVISOR, roles.PLANNER, roles.ADMIN), summary="Units the user may see",
       response=UnitSchema, many=True)
def units():
    return Unit.query.filter(Unit.id.in_(access.unit_ids(current_user))).order_by(Unit.id).all()


@route(bp, "/residents", roles=roles.CLINICAL + (roles.ADMIN,), summary="Residents of a unit",
       query=ResidentQuerySchema, response=ResidentSchema, many=True)
def residents(query):
    unit = access.get_unit(current_user, query["unit_id"])
    return (Resident.query.filter_by(unit_id=unit.id, active=True)
            .order_by(Resident.room, Resident.bed, Resident.full_name).all())


@route(bp, "/residents", ["POST"], roles=(roles.PLANNER, roles.ADMIN), summary="Admit a resident to a unit and post",
       body=AdmissionSchema, response=ResidentSchema, status=201)
def admit(body):
    return resident_service.admit(current_user, body, context.now())
