from flask import Blueprint
from flask_login import current_user

from .. import i18n
from ..domain import roles
from ..extensions import db
from ..models import DutyPost, Resident, Room, Unit
from ..services import access
from ..services import invitations as invitation_service
from ..services import organisation as organisation_service
from ..services import stay as stay_service
from ..services import residents as resident_service
from . import context
from .care_group_schemas import AdmissionSchema
from .registry import route
from .schemas import PostSchema, ResidentQuerySchema, ResidentSchema, UnitSchema
from .stay_schemas import ResidentRecordSchema, StayEventInSchema, StayEventReplySchema, UnitQuerySchema
from .staff_schemas import (HomeChangeSchema, HomeSchema, NameSchema, NewPostSchema, NewRoomSchema,
                            OrganisationSchema, OrgPostSchema, PlainUnitSchema, RelativeSchema, RoomChangeSchema,
                            RoomSchema, UnitPhoneSchema)

bp = Blueprint("organisation", __name__, url_prefix="/api")


@route(bp, "/posts", roles=roles.RESIDENT_READERS, summary="Duty posts the user works at",
       response=PostSchema, many=True)
def posts():
    return access.posts(current_user)


@route(bp, "/units", roles=roles.UNIT_READERS, summary="Units the user may see",
       response=UnitSchema, many=True)
def units():
    return Unit.query.filter(Unit.id.in_(access.unit_ids(current_user))).order_by(Unit.id).all()


@route(bp, "/residents", roles=roles.RESIDENT_READERS, summary="Residents of a unit",
       query=ResidentQuerySchema, response=ResidentSchema, many=True)
def residents(query):
    unit = access.get_unit(current_user, query["unit_id"])
    found = Resident.query.filter_by(unit_id=unit.id)
    if access.is_carer(current_user):  # a community carer: the people of her visits, not the station's all
        found = found.filter(Resident.id.in_(access.carer_people(current_user.id)))
    if query["stay"] != "all":
        found = found.filter(Resident.active.is_(query["stay"] == "current"))
    return found.order_by(Resident.room, Resident.bed, Resident.full_name).all()


#: Who records a resident's stay (moves, absences, discharge): the head of unit and ward nurses, the planners who
#: admit, the administrator. A junior nurse reports a change of condition instead.
STAY_RECORDERS = roles.STAY_KEEPERS


@route(bp, "/rooms", roles=STAY_RECORDERS, query=UnitQuerySchema, response=RoomSchema, many=True,
       summary="A unit's rooms in use, with their beds and the post that covers each (to admit or move a resident)")
def rooms(query):
    unit = access.get_unit(current_user, query["unit_id"])
    return Room.query.filter_by(unit_id=unit.id, active=True).order_by(Room.name).all()


@route(bp, "/residents/<int:resident_id>", roles=roles.RESIDENT_READERS, response=ResidentRecordSchema,
       summary="A resident's record: her details, where she is, and every event of her stay")
def resident_record(resident_id):
    resident, events = stay_service.history(current_user, resident_id)
    post = db.session.get(DutyPost, resident.post_id)
    return {"resident": resident, "unit_name": i18n.place_name(resident.unit), "post_name": i18n.place_name(post),
            "events": events}


@route(bp, "/residents/<int:resident_id>/events", ["POST"], roles=STAY_RECORDERS, body=StayEventInSchema,
       response=StayEventReplySchema, status=201,
       summary="Record an event of her stay: details, move, absence, return, discharge, death, re-admission")
def record_stay_event(resident_id, body):
    event = stay_service.record(context.ctx(), resident_id, body)
    return {"event": event, "resident": db.session.get(Resident, resident_id)}


@route(bp, "/residents", ["POST"], roles=roles.ADMITTERS, summary="Admit a resident to a unit and post",
       body=AdmissionSchema, response=ResidentSchema, status=201)
def admit(body):
    return resident_service.admit(context.ctx(), body)


def _names(body):
    """The translations a rename names, as arguments: none when the request leaves them as they are."""
    return (body["names"],) if "names" in body else ()


# --- the organisation an administrator keeps (services/organisation.py) -------------------------------------

@route(bp, "/organisation", roles=roles.ADMINISTRATION, response=OrganisationSchema,
       summary="The home, its units with their duty posts and rooms, the staff roles and the time zones")
def organisation():
    return organisation_service.overview(current_user)


@route(bp, "/home", ["PATCH"], roles=roles.ADMINISTRATION, body=HomeChangeSchema, response=HomeSchema,
       summary="The home's name, time zone and default language")
def change_home(body):
    return organisation_service.change_home(context.ctx(), body)


@route(bp, "/units", ["POST"], roles=roles.ADMINISTRATION, body=NameSchema, response=PlainUnitSchema, status=201,
       summary="A new unit (its name as entered, and in the home's languages if given)")
def create_unit(body):
    return organisation_service.create_unit(context.ctx(), body["name"], body.get("names"))


@route(bp, "/units/<int:unit_id>", ["PATCH"], roles=roles.ADMINISTRATION, body=NameSchema, response=PlainUnitSchema,
       summary="Rename a unit, or change its name in the home's languages (`names`; left as they are without it)")
def rename_unit(unit_id, body):
    return organisation_service.rename_unit(context.ctx(), unit_id, body["name"], *_names(body))


@route(bp, "/units/<int:unit_id>/phone", ["PATCH"], roles=roles.ADMINISTRATION, body=UnitPhoneSchema,
       response=PlainUnitSchema,
       summary="A unit's phone number (a station's: on its people's service sheets); null clears")
def set_unit_phone(unit_id, body):
    return organisation_service.set_unit_phone(context.ctx(), unit_id, body["phone"])


@route(bp, "/posts", ["POST"], roles=roles.ADMINISTRATION, body=NewPostSchema, response=OrgPostSchema, status=201,
       summary="A new duty post in a unit")
def create_post(body):
    return organisation_service.create_post(context.ctx(), body["unit_id"], body["name"], body.get("names"))


@route(bp, "/posts/<int:post_id>", ["PATCH"], roles=roles.ADMINISTRATION, body=NameSchema, response=OrgPostSchema,
       summary="Rename a duty post, or change its name in the home's languages (`names`; kept without it)")
def rename_post(post_id, body):
    return organisation_service.rename_post(context.ctx(), post_id, body["name"], *_names(body))


@route(bp, "/rooms", ["POST"], roles=roles.ADMINISTRATION, body=NewRoomSchema, response=RoomSchema, status=201,
       summary="A new room of a unit, its beds and the duty post that covers it")
def create_room(body):
    return organisation_service.create_room(context.ctx(), body)


@route(bp, "/rooms/<int:room_id>", ["PATCH"], roles=roles.ADMINISTRATION, body=RoomChangeSchema, response=RoomSchema,
       summary="Rename a room, change its beds or its post, retire it")
def change_room(room_id, body):
    return organisation_service.change_room(context.ctx(), room_id, body)


@route(bp, "/residents/<int:resident_id>/relatives", roles=roles.INVITERS, response=RelativeSchema,
       many=True, summary="The relatives' accounts linked to a resident")
def relatives(resident_id):
    return [{"user_id": u.id, "full_name": u.full_name, "username": u.username}
            for u in invitation_service.relatives_of(current_user, resident_id)]


@route(bp, "/residents/<int:resident_id>/relatives/<int:user_id>", ["DELETE"], roles=roles.INVITERS,
       summary="End a relative's link to a resident")
def unlink_relative(resident_id, user_id):
    invitation_service.unlink(context.ctx(), resident_id, user_id)
    return {"ok": True}
