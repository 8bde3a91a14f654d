"""Attendance at activities: the activity staff's tablet pull, the sessions of a day with who is expected and who
was marked, and residents without any activity in the last seven days. Attendance itself is pushed as entries of
kind 'attendance' through /api/sync/push."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import attendance as attendance_service
from ..services import homes
from . import context
from .attendance_schemas import (AttendancePullQuerySchema, AttendancePullSchema, DayOverviewSchema, DayQuerySchema,
                                 IdleSchema, UnitQuerySchema)
from .registry import route

bp = Blueprint("attendance", __name__, url_prefix="/api/attendance")


@route(bp, "/pull", roles=roles.ATTENDANCE_RECORDERS, query=AttendancePullQuerySchema,
       response=AttendancePullSchema,
       summary="What an activity staff member's tablet keeps offline, after a cursor (0: a snapshot): residents, "
               "the activity catalogue, the timetable and its changes, programme lines, recent attendance")
def pull(query):
    ctx = context.ctx(device=query["device_id"] or context.device_id())
    context.claim_device(ctx.device_id)
    return attendance_service.pull(ctx, query["cursor"], query["limit"], query["unit_id"])


@route(bp, "/day", roles=roles.ATTENDANCE_RECORDERS, query=DayQuerySchema, response=DayOverviewSchema,
       summary="A day's sessions (cancelled ones marked) with the residents expected by their programmes and the "
               "attendance that stands; individual programme activities at their own times")
def day(query):
    when = query["day"] or homes.home_today(current_user.home_id, context.now())
    reply = attendance_service.day_overview(current_user, when, query["unit_id"])
    context.audit_read("attendance_day", when.isoformat(), {"unit_id": query["unit_id"]})
    return reply


@route(bp, "/idle", roles=roles.ATTENDANCE_RECORDERS, query=UnitQuerySchema, response=IdleSchema,
       summary="Residents who took part in no activity (active or passive) in the last seven days, today included")
def idle(query):
    return attendance_service.idle(current_user, context.now(), query["unit_id"])
