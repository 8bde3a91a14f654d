"""Individual care plans: versions, differences, and the cards generated from them."""
from flask import Blueprint

bp = Blueprint("care_plans", __name__, url_prefix="/api/care-plans")
