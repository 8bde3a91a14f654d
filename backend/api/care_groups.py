"""Care-group decisions, the suggestion, and the reassessment board."""
from flask import Blueprint

bp = Blueprint("care_groups", __name__, url_prefix="/api/care-groups")
