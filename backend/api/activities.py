"""The activity catalogue, the home's timetable (weekly sessions, one-off events, cancellations and changes) and residents' individual programmes and daily schedules."""
from flask import Blueprint

bp = Blueprint("activities", __name__, url_prefix="/api/activities")
