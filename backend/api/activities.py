"""The activity catalogue, the home's timetable (weekly sessions, one-off events, cancellations and changes) and residents' individual programmes and daily schedules."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import activities as service
from . import context
from .registry import route
from .activity_schemas import (ActivityInputSchema, ActivityPatchSchema, ActivitySchema, CatalogueQuerySchema,
                               OccurrenceChangeSchema, ProgrammeEndSchema, ProgrammeInputSchema, ProgrammeItemSchema,
                               PeopleSchema, ProgrammePatchSchema, ProgrammeQuerySchema, ResidentDaySchema,
                               ResidentScheduleQuerySchema, SeriesEndSchema, TimetableOccurrenceSchema,
                               TimetableQuerySchema, TimetableSessionInputSchema, TimetableSessionSchema,
                               TimetableSessionsQuerySchema)

bp = Blueprint("activities", __name__, url_prefix="/api/activities")
#: The catalogue and the timetable: every staff member of the home (a nurse knows when her resident is away).
STAFF = roles.HOME_STAFF  # the home's own staff: not the region's inspector
#: A resident's programme and schedule (with the care card's procedures): the team that plans activities.
READ = roles.ACTIVITY_READERS
WRITE = roles.ACTIVITY_PLANNERS
CATALOGUE_WRITE = roles.CATALOGUE_KEEPERS




@route(bp, "/catalogue", roles=STAFF, summary="The home's activity catalogue", query=CatalogueQuerySchema,
       response=ActivitySchema, many=True)
def catalogue(query):
    return service.list_activities(current_user, query["include_inactive"])


@route(bp, "/catalogue", ["POST"], roles=CATALOGUE_WRITE, summary="Add an activity to the catalogue",
       body=ActivityInputSchema, response=ActivitySchema, status=201)
def create_activity(body):
    return service.create_activity(context.ctx(), body)


@route(bp, "/catalogue/<int:activity_id>", ["PATCH"], roles=CATALOGUE_WRITE,
       summary="Change an activity (active false takes it out of the catalogue)", body=ActivityPatchSchema,
       response=ActivitySchema)
def update_activity(activity_id, body):
    return service.update_activity(context.ctx(), activity_id, body)


@route(bp, "/timetable", roles=STAFF, summary="The timetable's occurrences between two dates (both included)",
       query=TimetableQuerySchema, response=TimetableOccurrenceSchema, many=True)
def timetable(query):
    return service.timetable(current_user, query["start"], query["end"], query["unit_id"])


@route(bp, "/sessions", roles=STAFF, summary="The timetable's lines (weekly sessions and events)",
       query=TimetableSessionsQuerySchema, response=TimetableSessionSchema, many=True)
def sessions(query):
    return service.list_sessions(current_user, query["on_or_after"])


@route(bp, "/sessions", ["POST"], roles=WRITE, summary="Add a weekly session or a one-off event",
       body=TimetableSessionInputSchema, response=TimetableSessionSchema, status=201)
def create_session(body):
    return service.create_session(context.ctx(), body)


@route(bp, "/sessions/<int:session_id>/end", ["POST"], roles=WRITE, summary="End a weekly series after a day",
       body=SeriesEndSchema, response=TimetableSessionSchema)
def end_session(session_id, body):
    return service.end_session(context.ctx(), session_id, body["last_day"])


@route(bp, "/sessions/<int:session_id>/changes", ["POST"], roles=WRITE,
       summary="Cancel or change one occurrence (time, place) with a note, or restore it",
       body=OccurrenceChangeSchema, response=TimetableOccurrenceSchema, many=True)
def change_occurrence(session_id, body):
    return service.change_occurrence(context.ctx(), session_id, body["on_date"], body)


@route(bp, "/programmes", roles=READ, summary="A resident's individual programme", query=ProgrammeQuerySchema,
       response=ProgrammeItemSchema, many=True)
def programme(query):
    reply = service.programme_of(current_user, query["resident_id"])
    context.audit_read("resident", query["resident_id"], {"view": "programme"})
    return reply


@route(bp, "/programmes", ["POST"], roles=WRITE, summary="Add a line to a resident's programme",
       body=ProgrammeInputSchema, response=ProgrammeItemSchema, status=201)
def add_programme_item(body):
    return service.add_programme_item(context.ctx(), body)


@route(bp, "/programmes/<int:item_id>", ["PATCH"], roles=WRITE, summary="Change a programme line",
       body=ProgrammePatchSchema, response=ProgrammeItemSchema)
def update_programme_item(item_id, body):
    return service.update_programme_item(context.ctx(), item_id, body)


@route(bp, "/programmes/<int:item_id>/end", ["POST"], roles=WRITE, summary="End a programme line after a day",
       body=ProgrammeEndSchema, response=ProgrammeItemSchema)
def end_programme_item(item_id, body):
    return service.end_programme_item(context.ctx(), item_id, body["last_day"])


@route(bp, "/schedule", roles=READ,
       summary="A resident's days: the routine, the programme's activities, events and the care card's procedures",
       query=ResidentScheduleQuerySchema, response=ResidentDaySchema, many=True)
def schedule(query):
    reply = service.schedule_for(current_user, query["resident_id"], query["start"], query["end"])
    context.audit_read("resident", query["resident_id"], {"view": "schedule"})
    return reply


@route(bp, "/people", roles=READ, summary="Units, residents and activity leaders the activity screens name",
       response=PeopleSchema)
def people():
    return service.people(current_user)
