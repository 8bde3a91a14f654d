"""Month close and the archive copy (PDF) of closed care cards."""
from flask import Blueprint

bp = Blueprint("archive", __name__, url_prefix="/api/archive")
