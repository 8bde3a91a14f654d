"""The home's own figures: satisfaction by period, caregiver load, the monthly monitoring page and its CSV and PDF."""
from flask import Blueprint

bp = Blueprint("monitoring", __name__, url_prefix="/api/monitoring")
