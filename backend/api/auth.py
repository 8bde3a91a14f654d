from datetime import timezone

from flask import Blueprint, current_app, g, session
from flask_login import current_user
from flask_babel import gettext as _

from ..domain import roles
from ..errors import ApiError
from ..services import auth as auth_service
from ..services import staff as staff_service
from . import context
from .registry import PUBLIC, Prebuilt, route
from .schemas import (ChallengeSchema, LocaleSchema, LoginReplySchema, LoginSchema, PasswordChangeSchema,
                      UnlockSchema, UserSchema)

bp = Blueprint("auth", __name__, url_prefix="/api/auth")


def login_limits():
    cfg = current_app.config
    return {"window": cfg["LOGIN_WINDOW_SECONDS"], "per_account": cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
            "per_address": cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]}


def _start(token):
    """The new session replaces the browser's previous one, which ends (a user switch on a shared tablet)."""
    current_user._get_current_object()  # loads the browser's current session (flask-login is lazy)
    auth_service.end(g.get("user_session"), context.now())
    session.clear()
    session["sid"] = token
    session.permanent = False


def _reply(user, key=None):
    """The signed-in user, her new signing key (password sign-in only) and the tablet's settings."""
    cfg = current_app.config
    reply = UserSchema().dump(user)
    issued = key.created_at.replace(tzinfo=timezone.utc).isoformat() if key else None
    reply.update(signing_key={"id": key.id, "secret": key.secret, "issued_at": issued} if key else None,
                 tablet={"pin_valid_days": cfg["PIN_VALID_DAYS"], "idle_lock_seconds": cfg["IDLE_LOCK_SECONDS"],
                         "pin_max_failures": cfg["PIN_MAX_FAILURES"]})
    return Prebuilt(reply)


@route(bp, "/login", ["POST"], roles=PUBLIC, summary="Sign in with a password", body=LoginSchema,
       response=LoginReplySchema)
def login(body):
    context.claim_device(body["device_id"])
    user, token, key = auth_service.login(context.ctx(None, device=body["device_id"]), body["username"],
                                          body["password"], login_limits(), current_app.config["SECRET_KEY"])
    _start(token)
    return _reply(user, key)


@route(bp, "/challenge", roles=PUBLIC, summary="A fresh challenge for a PIN unlock (valid two minutes)",
       response=ChallengeSchema)
def challenge():
    return {"challenge": auth_service.new_challenge(current_app.config["SECRET_KEY"], context.now())}


@route(bp, "/unlock", ["POST"], roles=PUBLIC, body=UnlockSchema, response=LoginReplySchema,
       summary="After a PIN unlock on an enrolled tablet: a session for the person whose key signed the challenge")
def unlock(body):
    device = context.device()
    if device is None:
        raise ApiError(401, "device_unknown", _("This tablet is not enrolled (or its credential is wrong)."))
    user, token = auth_service.unlock(context.ctx(None), device, body["user_id"], body["key_id"], body["challenge"],
                                      body["proof"], current_app.config["SECRET_KEY"])
    _start(token)
    return _reply(user)


@route(bp, "/logout", ["POST"], roles=roles.ALL, summary="End this session on the server")
def logout():
    auth_service.logout(context.ctx(), g.get("user_session"))
    session.clear()
    return {"ok": True}


@route(bp, "/me", roles=roles.ALL, summary="The signed-in user", response=UserSchema)
def me():
    return current_user


@route(bp, "/me", ["PATCH"], roles=roles.ALL, summary="Choose the language", body=LocaleSchema,
       response=UserSchema)
def set_locale(body):
    return auth_service.set_locale(context.ctx(), body["locale"])


@route(bp, "/password", ["POST"], roles=roles.STAFF, body=PasswordChangeSchema, response=LoginReplySchema,
       summary="Change her own password (the current one required); her other sessions end. A signing key for the "
               "tablet named comes with it (after a one-time password, the first one)")
def change_password(body):
    context.claim_device(body["device_id"])
    record = g.get("user_session")
    key = staff_service.change_own_password(context.ctx(device=body["device_id"]), body["current_password"],
                                            body["new_password"], login_limits(), current_app.config["SECRET_KEY"],
                                            keep_session=record.id if record is not None else None)
    return _reply(current_user, key)
