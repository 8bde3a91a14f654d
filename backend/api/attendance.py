"""Attendance at activities: the sessions of a day with who is expected, and residents without any activity in the last seven days."""
from flask import Blueprint

bp = Blueprint("attendance", __name__, url_prefix="/api/attendance")
