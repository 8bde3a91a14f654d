"""Staff accounts: the home's administrators create and run them (services/staff.py says who manages whom)."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import staff as staff_service
from . import context
from .auth import login_limits
from .registry import route
from .staff_schemas import (EmptySchema, NewStaffSchema, StaffAccountSchema, StaffChangeSchema,
                            TemporaryPasswordSchema)

bp = Blueprint("staff", __name__, url_prefix="/api/staff")
MANAGERS = roles.ADMINISTRATION


def _account(user):
    return staff_service.account_of(user, context.now(), login_limits())


@route(bp, "", roles=MANAGERS, summary="The home's staff accounts (relatives are not staff)",
       response=StaffAccountSchema, many=True)
def listing():
    return staff_service.listing(current_user, context.now(), login_limits())


@route(bp, "", ["POST"], roles=MANAGERS, body=NewStaffSchema, response=TemporaryPasswordSchema, status=201,
       summary="A new account with a one-time password (in this reply only); she must change it at first sign-in")
def create(body):
    user, temporary = staff_service.create(context.ctx(), body)
    return {"account": _account(user), "temporary_password": temporary}


@route(bp, "/<int:user_id>", ["PATCH"], roles=MANAGERS, body=StaffChangeSchema, response=StaffAccountSchema,
       summary="Change her name, role, unit or language")
def change(user_id, body):
    return _account(staff_service.change(context.ctx(), user_id, body))


@route(bp, "/<int:user_id>/reset-password", ["POST"], roles=MANAGERS, body=EmptySchema,
       response=TemporaryPasswordSchema,
       summary="A new one-time password (in this reply only); her sessions end and her sign-in hold is cleared")
def reset_password(user_id, body):
    user, temporary = staff_service.reset_password(context.ctx(), user_id)
    return {"account": _account(user), "temporary_password": temporary}


@route(bp, "/<int:user_id>/reset-pin", ["POST"], roles=MANAGERS, body=EmptySchema, response=StaffAccountSchema,
       summary="Her PIN stops working on every tablet at its next pull (her signing keys are retired)")
def reset_pin(user_id, body):
    return _account(staff_service.reset_pin(context.ctx(), user_id))


@route(bp, "/<int:user_id>/clear-hold", ["POST"], roles=MANAGERS, body=EmptySchema, response=StaffAccountSchema,
       summary="Lift the hold that failed sign-ins put on her account")
def clear_hold(user_id, body):
    return _account(staff_service.clear_hold(context.ctx(), user_id))


@route(bp, "/<int:user_id>/disable", ["POST"], roles=MANAGERS, body=EmptySchema, response=StaffAccountSchema,
       summary="Disable: her sessions end, her signing keys are retired; her past entries keep her name")
def disable(user_id, body):
    return _account(staff_service.disable(context.ctx(), user_id))


@route(bp, "/<int:user_id>/enable", ["POST"], roles=MANAGERS, body=EmptySchema, response=StaffAccountSchema,
       summary="Enable again: she signs in with her password")
def enable(user_id, body):
    return _account(staff_service.enable(context.ctx(), user_id))
