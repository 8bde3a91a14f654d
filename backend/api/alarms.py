"""Home and community care (issue 18): alarms. Routes are declared with api/registry.py `route`."""
from flask import Blueprint

bp = Blueprint("alarms", __name__, url_prefix="/api")
