"""Assessments: the form definitions' scored entries, per resident."""
from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/api/assessments")
