"""Home and community care (issue 18): the dispatcher's visits -- the week (generate, add, assign, reassign, cancel),
today's board, carers' blocks (黑名单) and follow-up calls (回访). Routes are declared with api/registry.py `route`;
the rules are in backend/services/visits.py."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import visits as service
from . import context
from .registry import route
from .visit_schemas import (AcceptLocationSchema, AssignSchema, BlockSchema, BoardQuerySchema, BoardSchema,
                            CancelSchema, CarerSchema, FollowUpCallSchema, FollowUpInputSchema, FollowUpsQuerySchema,
                            FollowUpsSchema, GenerateReplySchema, GenerateSchema, StationQuerySchema,
                            VisitInputSchema, VisitSchema, VisitsQuerySchema)

bp = Blueprint("visits", __name__, url_prefix="/api")
DISPATCH = roles.DISPATCHERS


@route(bp, "/visits/generate", ["POST"], roles=DISPATCH, body=GenerateSchema, response=GenerateReplySchema,
       summary="Make a station's visits for a week from the timed items of the published cards (idempotent)")
def generate(body):
    return service.generate(context.ctx(), body["unit_id"], body["week_start"])


@route(bp, "/visits", roles=DISPATCH, query=VisitsQuerySchema, response=VisitSchema, many=True,
       summary="A station's visits between two days (both included), cancelled ones too")
def list_visits(query):
    return service.list_visits(current_user, query["unit_id"], query["start"], query["end"])


@route(bp, "/visits", ["POST"], roles=DISPATCH, body=VisitInputSchema, response=VisitSchema, status=201,
       summary="Add a visit by hand (ad hoc, after an alarm, an inspection visit)")
def create_visit(body):
    return service.create_visit(context.ctx(), body)


@route(bp, "/visits/<int:visit_id>/assign", ["POST"], roles=DISPATCH, body=AssignSchema, response=VisitSchema,
       summary="Send 1-3 carers of the station (none blocked): the visit's current carers become these")
def assign(visit_id, body):
    return service.assign(context.ctx(), visit_id, body["carer_ids"])


@route(bp, "/visits/<int:visit_id>/cancel", ["POST"], roles=DISPATCH, body=CancelSchema, response=VisitSchema,
       summary="Cancel a visit with a reason (it stays, with who cancelled it and when)")
def cancel(visit_id, body):
    return service.cancel(context.ctx(), visit_id, body["reason"])


@route(bp, "/visits/<int:visit_id>/accept-location", ["POST"], roles=DISPATCH, body=AcceptLocationSchema,
       response=VisitSchema, summary="Accept the carer's reason for showing no presence at the home (the visit's "
       "location element then counts), with the station head's reason")
def accept_location(visit_id, body):
    return service.accept_location(context.ctx(), visit_id, body["reason"])


@route(bp, "/visits/board", roles=DISPATCH, query=BoardQuerySchema, response=BoardSchema,
       summary="A station's day: where each visit stands now, whether it is verified, its flags, counts per state")
def board(query):
    return service.board(context.ctx(), query["unit_id"], query["day"])


@route(bp, "/visits/follow-ups", roles=DISPATCH, query=FollowUpsQuerySchema, response=FollowUpsSchema,
       summary="The week's follow-up calls: a sample of 5 % of the finished visits, with the calls made")
def follow_ups(query):
    return service.follow_ups(current_user, query["unit_id"], query["week_start"])


@route(bp, "/visits/<int:visit_id>/follow-up", ["POST"], roles=DISPATCH, body=FollowUpInputSchema,
       response=FollowUpCallSchema, status=201, summary="Keep a follow-up call's result about a finished visit, "
       "and the satisfaction questionnaire when the call reached someone (scored by the server)")
def record_follow_up(visit_id, body):
    return service.record_follow_up(context.ctx(), visit_id, body["result"], body["note"], body["answers"])


@route(bp, "/homecare/carers", roles=DISPATCH, query=StationQuerySchema, response=CarerSchema, many=True,
       summary="A station's carers, and whether each is blocked")
def carers(query):
    return service.carers(current_user, query["unit_id"])


@route(bp, "/homecare/carers/<int:carer_id>/block", ["POST"], roles=DISPATCH, body=BlockSchema,
       response=CarerSchema, summary="Block a carer (黑名单): she cannot be assigned until unblocked")
def block_carer(carer_id, body):
    return service.block(context.ctx(), carer_id, body["reason"])


@route(bp, "/homecare/carers/<int:carer_id>/unblock", ["POST"], roles=DISPATCH, response=CarerSchema,
       summary="Lift a carer's block")
def unblock_carer(carer_id):
    return service.unblock(context.ctx(), carer_id)
