"""Invitation codes for relatives: issued and withdrawn by staff, redeemed to create a relative's account (or to
link one more resident to the relative who is signed in). Rules: services/invitations.py."""
from flask import Blueprint, current_app
from flask_login import current_user

from ..domain import roles
from ..services import invitations as invitation_service
from . import context
from .invitation_schemas import (
    InvitationQuerySchema,
    InvitationResidentSchema,
    InvitationSchema,
    IssuedSchema,
    IssueSchema,
    RedeemReplySchema,
    RedeemSchema,
)
from .registry import PUBLIC, route

bp = Blueprint("invitations", __name__, url_prefix="/api/invitations")
ISSUERS = roles.INVITERS


@route(bp, "/residents", roles=ISSUERS, summary="Residents the staff member may invite relatives for",
       response=InvitationResidentSchema, many=True)
def residents():
    return invitation_service.residents_for(current_user, context.now())


@route(bp, "", roles=ISSUERS, summary="A resident's invitation codes (their state; never the code)",
       query=InvitationQuerySchema, response=InvitationSchema, many=True)
def listing(query):
    return invitation_service.invitations_of(current_user, query["resident_id"], context.now())


@route(bp, "", ["POST"], roles=ISSUERS, summary="Issue a code for a resident (the code is in this reply only)",
       body=IssueSchema, response=IssuedSchema, status=201)
def issue(body):
    return invitation_service.issue(context.ctx(), body["resident_id"], body["days"])


@route(bp, "/<int:invitation_id>/withdraw", ["POST"], roles=ISSUERS, summary="Withdraw an open code",
       response=InvitationSchema)
def withdraw(invitation_id):
    return invitation_service.withdraw(context.ctx(), invitation_id)


@route(bp, "/redeem", ["POST"], roles=PUBLIC, body=RedeemSchema, response=RedeemReplySchema,
       summary="Use a code: a new relative's account (nobody signed in), or one more resident for the relative "
               "who is signed in")
def redeem(body):
    cfg = current_app.config
    limits = {"window": cfg["LOGIN_WINDOW_SECONDS"], "per_address": cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]}
    return invitation_service.redeem(context.ctx(), body, limits)
