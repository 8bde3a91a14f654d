"""Home and community care (issue 18): visits. Routes are declared with api/registry.py `route`."""
from flask import Blueprint

bp = Blueprint("visits", __name__, url_prefix="/api")
