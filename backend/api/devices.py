"""Tablets: an administrator enrols them for a duty post and revokes lost ones."""
from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import roles
from ..errors import ApiError
from ..services import devices as device_service
from . import context
from .registry import route
from .schemas import DeviceSchema, EnrolmentSchema, EnrolSchema, WipedSchema

bp = Blueprint("devices", __name__, url_prefix="/api/devices")


@route(bp, "", roles=roles.ADMINISTRATION, summary="The home's tablets", response=DeviceSchema, many=True)
def listing():
    return device_service.listing(current_user)


@route(bp, "", ["POST"], roles=roles.ADMINISTRATION,
       summary="Enrol this tablet for a duty post (credential shown once)",
       body=EnrolSchema, response=EnrolmentSchema, status=201)
def enrol(body):
    device, credential = device_service.enrol(context.ctx(), body["device_id"], body["name"], body["post_id"])
    return {"device": device, "credential": credential}


@route(bp, "/<string:device_id>/revoke", ["POST"], roles=roles.ADMINISTRATION,
       summary="Revoke a lost tablet: its credential and sessions stop at once", response=DeviceSchema)
def revoke(device_id):
    return device_service.revoke(context.ctx(), device_id)


@route(bp, "/wiped", ["POST"], roles=roles.STAFF, device=True, summary="A revoked tablet reports that it wiped itself",
       response=WipedSchema)
def wiped():
    device = context.device()
    if device is None or device.revoked_at is None:
        raise ApiError(409, "not_revoked", _("This tablet is not revoked."))
    device_service.mark_wiped(context.ctx(), device)
    return {"ok": True}
