"""Home and community care (issue 18): home devices and their alarms.

- The device register (HOMECARE_KEEPERS): a person's devices; registering one returns its token once; retiring one
  makes the intake refuse its token.
- The intake, `POST /api/alarms`: public in the registry's sense (no session, no role): the device proves itself by
  its token alone, `Authorization: Bearer <token>`, checked by the service. A missing, unknown or retired token is
  answered 401 alike; a body the device got wrong 422 naming the field; a repeat within the window 200 with the
  stored alarm's id and `repeat: true`; a new alarm 201; more than a few per second from one token 429.
- The log (ALARM_HANDLERS): the alarms of her units with their steps; a step; the close.
"""
from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import roles
from ..errors import ApiError
from ..services import alarms as service
from . import context
from .alarm_schemas import (AlarmCloseSchema, AlarmIntakeReplySchema, AlarmIntakeSchema, AlarmLogQuerySchema,
                            AlarmSchema, AlarmStepInputSchema, HomeDeviceInputSchema, HomeDeviceIssuedSchema,
                            HomeDeviceSchema)
from .registry import PUBLIC, Prebuilt, route

bp = Blueprint("alarms", __name__, url_prefix="/api")
KEEPERS = roles.HOMECARE_KEEPERS
HANDLERS = roles.ALARM_HANDLERS


# --- the device register -----------------------------------------------------------------------------------

@route(bp, "/homecare/people/<int:resident_id>/devices", roles=KEEPERS, summary="A person's home devices",
       response=HomeDeviceSchema, many=True)
def devices(resident_id):
    return service.list_devices(current_user, resident_id)


@route(bp, "/homecare/people/<int:resident_id>/devices", ["POST"], roles=KEEPERS, body=HomeDeviceInputSchema,
       response=HomeDeviceIssuedSchema, status=201,
       summary="Register a home device: its token is in this reply only (the server keeps its hash)")
def register_device(resident_id, body):
    return service.register_device(context.ctx(), resident_id, body)


@route(bp, "/homecare/devices/<int:device_id>/retire", ["POST"], roles=KEEPERS, response=HomeDeviceSchema,
       summary="Take a home device out of use: its token is refused from now on")
def retire_device(device_id):
    return service.retire_device(context.ctx(), device_id)


# --- the intake ---------------------------------------------------------------------------------------------

def _bearer():
    scheme, _sep, token = (request.headers.get("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _rate():
    """The process's intake counter (services/alarms.py IntakeRate), one per app."""
    return current_app.extensions.setdefault("bedside.alarm_intake_rate", service.IntakeRate())


@route(bp, "/alarms", ["POST"], roles=PUBLIC, body=AlarmIntakeSchema, response=AlarmIntakeReplySchema, status=201,
       also=(200, 422),
       summary="A home device raises an alarm (authenticated by its token alone: Authorization: Bearer <token>); "
               "201 new, 200 a repeat within 60 s, 401 a wrong token, 422 a wrong field")
def intake(body):
    try:
        alarm_id, repeat = service.intake(context.ctx(None), _bearer(), body, _rate())
    except service.IntakeRefused as refused:
        raise ApiError(422, "validation_error", _("Please check: %(fields)s", fields=", ".join(sorted(refused.fields))),
                       refused.fields) from None
    reply = Prebuilt(id=alarm_id, repeat=repeat)
    reply.status = 200 if repeat else 201
    return reply


# --- the log ------------------------------------------------------------------------------------------------

@route(bp, "/alarms", roles=HANDLERS, query=AlarmLogQuerySchema, response=AlarmSchema, many=True,
       summary="The alarms of her units between two days (newest first), with person, device, steps and the time "
               "to acknowledge")
def log(query):
    return service.alarm_log(current_user, context.now(), query["unit_id"], query["start"], query["end"],
                             query["open"])


@route(bp, "/alarms/<int:alarm_id>/steps", ["POST"], roles=HANDLERS, body=AlarmStepInputSchema,
       response=AlarmSchema, summary="Record what was done about an alarm (acknowledged once; nothing after closed)")
def add_step(alarm_id, body):
    return service.add_step(context.ctx(), alarm_id, body["step"], body["note"])


@route(bp, "/alarms/<int:alarm_id>/close", ["POST"], roles=HANDLERS, body=AlarmCloseSchema, response=AlarmSchema,
       summary="Close an alarm with its outcome (records the closed step)")
def close(alarm_id, body):
    return service.close(context.ctx(), alarm_id, body["outcome"], body["false_alarm"])
