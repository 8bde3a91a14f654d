"""Home and community care (issue 18): homecare. Routes are declared with api/registry.py `route`."""
from flask import Blueprint

bp = Blueprint("homecare", __name__, url_prefix="/api")
