from flask import Blueprint, current_app, g, session
from flask_login import current_user

from ..domain import roles
from ..services import auth as auth_service
from . import context
from .registry import PUBLIC, route
from .schemas import LocaleSchema, LoginSchema, UserSchema

bp = Blueprint("auth", __name__, url_prefix="/api/auth")


@route(bp, "/login", ["POST"], roles=PUBLIC, summary="Sign in with a password", body=LoginSchema,
       response=UserSchema)
def login(body):
    cfg = current_app.config
    limits = {"window": cfg["LOGIN_WINDOW_SECONDS"], "per_account": cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
              "per_address": cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]}
    user, token = auth_service.login(body["username"], body["password"], context.address(), body["device_id"],
                                     context.now(), limits)
    session.clear()
    session["sid"] = token
    session.permanent = False
    return user


@route(bp, "/logout", ["POST"], roles=roles.ALL, summary="End this session on the server")
def logout():
    auth_service.logout(g.get("user_session"), current_user, context.now(), context.address())
    session.clear()
    return {"ok": True}


@route(bp, "/me", roles=roles.ALL, summary="The signed-in user", response=UserSchema)
def me():
    return current_user


@route(bp, "/me", ["PATCH"], roles=roles.ALL, summary="Choose the language", body=LocaleSchema,
       response=UserSchema)
def set_locale(body):
    return auth_service.set_locale(current_user, body["locale"], context.now())
